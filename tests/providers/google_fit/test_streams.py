"""The `google_fit` stream hooks against the Fit imitation over HTTP: records, call counts, windows, scopes."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest

from shared.contract.records import DatastreamPacket, Event, IntervalPoint, Point, Record, record_id
from shared.contract.wire import to_wire, validate_wire
from shared.errors import ScopeMissing
from shared.providers.google_fit.streams import STREAMS as GOOGLE_FIT_STREAMS
from shared.sync.engine import windows
from shared.sync.streams import Stream, StreamContext
from tests.providers.api import read_window
from tests.providers.google_fit.sandbox_view import FIT, NOW_TIME, Fit, fit  # noqa: F401

STREAMS = {stream.name: stream for stream in GOOGLE_FIT_STREAMS}
_S = "com.personicle.individual.datastreams."


def _backfill(stream: Stream, context: StreamContext, start: datetime, end: datetime) -> tuple[list[Record], int]:
    records, calls = [], 0
    for window_start, window_end in windows(start, end, stream.max_window):
        read = read_window(stream, context, window_start, window_end)
        records += read.records
        calls += read.calls
    return records, calls


def _points(records: list[Record], name: str) -> list[Point | IntervalPoint]:
    return [p for r in records if isinstance(r, DatastreamPacket) and r.stream_name == _S + name for p in r.points]


@pytest.mark.parametrize("name", sorted(STREAMS), ids=sorted(STREAMS))
def test_each_stream_reads_valid_records_for_a_month(fit: Fit, name: str) -> None:
    user = {"blood_pressure": "bob", "blood_glucose": "carol"}.get(name, "alice")
    context, _ = fit.context(user)
    records, _ = _backfill(STREAMS[name], context, NOW_TIME - timedelta(days=30), NOW_TIME)
    assert records
    for record in records:
        validate_wire(to_wire(record))
        assert record.source == "google-fit" and record.individual_id == f"personicle-{user}"


@pytest.mark.parametrize(("name", "expected_calls"), [("body", 5), ("sessions", 1), ("blood_pressure", 5)],
                         ids=["aggregate", "sessions", "aggregate-sparse"])
def test_a_year_costs_the_documented_minimum_calls(fit: Fit, name: str, expected_calls: int) -> None:
    context, api = fit.context("bob")
    records, calls = _backfill(STREAMS[name], context, NOW_TIME - timedelta(days=365), NOW_TIME)
    assert records and calls == api.calls == expected_calls


def test_a_year_of_sleep_stages_costs_one_call_per_thousand_segments(fit: Fit) -> None:
    context, api = fit.context("carol")
    records, calls = _backfill(STREAMS["sleep_stages"], context, NOW_TIME - timedelta(days=365), NOW_TIME)
    assert calls == api.calls == math.ceil(len(records) / 1000)
    assert len({record_id(r) for r in records}) == len(records)
    assert all(isinstance(r, Event) and r.event_type.startswith("com.personicle.individual.events.sleep.stage.")
               for r in records)


def test_only_whole_utc_days_are_sent_and_overlapping_windows_repeat_the_same_records(fit: Fit) -> None:
    context, _ = fit.context()
    now = NOW_TIME + timedelta(hours=15, minutes=40)
    first, _ = _backfill(STREAMS["activity"], context, now - timedelta(days=3, hours=5), now)
    second, _ = _backfill(STREAMS["activity"], context, now - timedelta(days=1, hours=2), now)
    steps = _points(first, "interval.step.count")
    assert [(p.start_time, p.end_time) for p in steps] == [
        (NOW_TIME - timedelta(days=n), NOW_TIME - timedelta(days=n - 1)) for n in (3, 2, 1)]
    assert set(_points(second, "interval.step.count")) <= set(steps)  # same bounds, same values: no duplicate


def test_a_window_inside_an_unfinished_bucket_makes_no_call(fit: Fit) -> None:
    context, api = fit.context()
    page = STREAMS["activity"].fetch_page(context, NOW_TIME + timedelta(hours=2), NOW_TIME + timedelta(hours=9), None)
    assert page.records == () and page.next_page_token is None and api.calls == 0


def test_a_refused_long_range_is_read_in_shorter_pieces_without_gaps(fit: Fit) -> None:
    start = NOW_TIME - timedelta(days=90)
    context, api = fit.context("bob")
    normal, normal_calls = _backfill(STREAMS["heart_rate"], context, start, NOW_TIME)
    fit.configure(aggregate_max_days=30)
    context, api = fit.context("bob")
    pieces, calls = _backfill(STREAMS["heart_rate"], context, start, NOW_TIME)
    assert normal_calls == 1 and calls == api.calls == 1 + 3  # 90 days refused, then three 30-day pieces
    assert sorted(_points(pieces, "interval.heartrate"), key=lambda p: p.start_time) == \
        sorted(_points(normal, "interval.heartrate"), key=lambda p: p.start_time)


def test_the_session_limit_splits_the_sessions_range(fit: Fit) -> None:
    start = NOW_TIME - timedelta(days=60)
    context, _ = fit.context()
    normal, _ = _backfill(STREAMS["sessions"], context, start, NOW_TIME)
    fit.configure(session_limit=40)
    context, _ = fit.context()
    split, calls = _backfill(STREAMS["sessions"], context, start, NOW_TIME)
    assert calls > 2 and split == normal


def test_sessions_become_sleep_and_exercise_events(fit: Fit) -> None:
    context, _ = fit.context()
    records, _ = _backfill(STREAMS["sessions"], context, NOW_TIME - timedelta(days=14), NOW_TIME)
    kinds = {r.event_type.rsplit(".", 1)[-1] for r in records if isinstance(r, Event)}
    assert "sleep" in kinds and kinds & {"running", "yoga", "cycling", "strength_training"}
    sleeps = [r for r in records if isinstance(r, Event) and r.event_type.endswith(".sleep")]
    assert all(r.start_time.date() != r.end_time.date() or r.start_time.hour < 6 for r in sleeps)  # nights
    assert all(3 * 3600 < r.parameters["duration"] < 10 * 3600 for r in sleeps)


def test_units_arrive_converted(fit: Fit) -> None:
    context, _ = fit.context()
    body, _ = _backfill(STREAMS["body"], context, NOW_TIME - timedelta(days=180), NOW_TIME)
    location, _ = _backfill(STREAMS["location"], context, NOW_TIME - timedelta(days=30), NOW_TIME)
    heights = [p.value for p in _points(body, "height")]
    speeds = [p.value for p in _points(location, "speed")]
    assert heights and all(160 < h < 180 for h in heights)  # alice is 1.68 m
    assert speeds and all(1.0 < s < 25.0 for s in speeds)


def test_a_user_without_sleep_or_heart_data_reads_nothing_without_errors(fit: Fit) -> None:
    context, api = fit.context("dave")
    for name in ("sleep_stages", "heart_rate", "blood_pressure"):
        records, _ = _backfill(STREAMS[name], context, NOW_TIME - timedelta(days=30), NOW_TIME)
        assert records == [], name
    assert api.calls == 3


def test_an_unticked_scope_is_refused_for_its_stream_only(fit: Fit) -> None:
    context, api = fit.context("alice", ("openid", FIT + "activity.read", FIT + "body.read"))
    with pytest.raises(ScopeMissing):
        STREAMS["heart_rate"].fetch_page(context, NOW_TIME - timedelta(days=2), NOW_TIME, None)
    calls_before = api.calls
    STREAMS["body"].fetch_page(context, NOW_TIME - timedelta(days=30), NOW_TIME, None)
    assert api.calls == calls_before + 1
    assert not STREAMS["heart_rate"].allowed_by(("openid", FIT + "activity.read", FIT + "body.read"))
