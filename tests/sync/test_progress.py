"""Progress per stream (the connections API) and the history rules over a cursor: pure functions."""

from datetime import datetime, timedelta, timezone

import pytest

from shared.contract.records import DatastreamPacket, Event, IntervalPoint, Point
from shared.store.cursors import StreamCursor
from shared.sync.history import history_stalled, latest_record_time, newest_pending, next_history_window
from shared.sync.progress import history_percent, stream_progress

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
DAY = timedelta(days=1)


def cursor(history_from=None, goal=None, synced_until=NOW, moved=None, stream="steps") -> StreamCursor:
    return StreamCursor(stream, synced_until, NOW, "ok", None, history_from, goal, moved, NOW - DAY)


@pytest.mark.parametrize("state, percent", [
    (cursor(NOW - 3 * DAY, NOW - 300 * DAY), 1),
    (cursor(NOW - 189 * DAY, NOW - 300 * DAY), 63),
    (cursor(NOW - 300 * DAY + timedelta(seconds=1), NOW - 300 * DAY), 99),
    (cursor(NOW - 300 * DAY, NOW - 300 * DAY), 100),
    (cursor(), 100),
    (cursor(synced_until=None), None),
], ids=["just-started", "most", "almost", "complete", "before-tracking", "never-synced"])
def test_history_percent(state, percent):
    assert history_percent(state) == percent


def test_stream_progress_json_says_how_far_each_way():
    shown = stream_progress(cursor(NOW - 100 * DAY, NOW - 365 * DAY)).to_json()
    assert shown == {
        "stream": "steps", "status": "ok", "last_error": None, "synced_through": NOW.isoformat(),
        "history_from": (NOW - 100 * DAY).isoformat(), "history_goal": (NOW - 365 * DAY).isoformat(),
        "history_complete": False, "history_percent": 27, "last_record_at": (NOW - DAY).isoformat()}


def test_the_next_history_window_ends_at_the_history_and_stops_at_the_goal():
    assert next_history_window(cursor(NOW - 3 * DAY, NOW - 10 * DAY), 4 * DAY) == (NOW - 7 * DAY, NOW - 3 * DAY)
    assert next_history_window(cursor(NOW - 8 * DAY, NOW - 10 * DAY), 4 * DAY) == (NOW - 10 * DAY, NOW - 8 * DAY)
    with pytest.raises(ValueError, match="no pending history"):
        next_history_window(cursor(NOW - 10 * DAY, NOW - 10 * DAY), 4 * DAY)


def test_the_newest_pending_history_goes_first():
    older, newer = cursor(NOW - 9 * DAY, NOW - 10 * DAY, stream="a"), cursor(NOW - 3 * DAY, NOW - 10 * DAY, stream="b")
    assert newest_pending([older, newer, cursor(stream="legacy")]) is newer
    assert newest_pending([cursor(stream="legacy")]) is None


def test_a_history_is_stalled_only_when_pending_and_unmoved_for_a_day():
    assert history_stalled(cursor(NOW - 3 * DAY, NOW - 10 * DAY, moved=NOW - 2 * DAY), NOW)
    assert not history_stalled(cursor(NOW - 3 * DAY, NOW - 10 * DAY, moved=NOW - timedelta(hours=2)), NOW)
    assert not history_stalled(cursor(NOW - 10 * DAY, NOW - 10 * DAY, moved=NOW - 2 * DAY), NOW)


def test_the_latest_record_time_covers_events_points_and_intervals():
    event = Event("u", NOW - 3 * DAY, NOW - 2 * DAY, "t", "n", "s", {})
    points = DatastreamPacket("x", "u", "s", None, None, (Point(NOW - DAY, 1), Point(NOW - 5 * DAY, 2)))
    minute = IntervalPoint(NOW - 4 * DAY, NOW - 4 * DAY + timedelta(minutes=1), 1)
    interval = DatastreamPacket("y", "u", "s", None, None, (minute,))
    assert latest_record_time([event, interval]) == NOW - 2 * DAY
    assert latest_record_time([event, points, interval]) == NOW - DAY
    assert latest_record_time([]) is None
