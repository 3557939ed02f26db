"""The cursor operations of recent-first syncing against real PostgreSQL (`PostgresSyncStore`)."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from shared.sync.sync_store import PostgresSyncStore

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
DAY = timedelta(days=1)


@pytest.fixture
def store(database):
    return PostgresSyncStore(database)


@pytest.fixture
def connection_id(database):
    made = uuid.uuid4()
    with database.transaction() as cursor:
        cursor.execute("INSERT INTO connections (id, user_id, provider, status) VALUES (%s, 'u', 'oura', 'active')",
                       (str(made),))
    return made


def test_the_first_window_opens_the_history_and_later_windows_leave_it(store, connection_id):
    store.advance_cursor(connection_id, "steps", NOW - DAY, NOW, opens_history=(NOW - 3 * DAY, NOW - 20 * DAY),
                         last_record_at=NOW - 2 * DAY)
    store.advance_cursor(connection_id, "steps", NOW, NOW, opens_history=(NOW - DAY, NOW - 9 * DAY))
    steps = store.load(connection_id).cursors["steps"]
    assert (steps.synced_until, steps.history_from, steps.history_goal, steps.last_record_at) == (
        NOW, NOW - 3 * DAY, NOW - 20 * DAY, NOW - 2 * DAY)


def test_the_history_moves_back_only_from_a_window_that_touches_it(store, connection_id):
    store.advance_cursor(connection_id, "steps", NOW, NOW, opens_history=(NOW - 3 * DAY, NOW - 20 * DAY))
    assert not store.extend_history(connection_id, "steps", NOW - 9 * DAY, NOW - 5 * DAY, NOW)  # a gap
    assert store.extend_history(connection_id, "steps", NOW - 7 * DAY, NOW - 3 * DAY, NOW,
                                last_record_at=NOW - 4 * DAY)
    assert not store.extend_history(connection_id, "steps", NOW - 5 * DAY, NOW - 2 * DAY, NOW)  # not forward
    steps = store.load(connection_id).cursors["steps"]
    assert (steps.history_from, steps.history_moved_at, steps.last_record_at) == (NOW - 7 * DAY, NOW, NOW - 4 * DAY)


def test_a_stream_synced_before_history_was_tracked_keeps_no_history(store, connection_id, database):
    with database.transaction() as cursor:
        cursor.execute("INSERT INTO sync_cursors (connection_id, stream, synced_until) VALUES (%s, 'steps', %s)",
                       (str(connection_id), NOW - DAY))
    store.advance_cursor(connection_id, "steps", NOW, NOW, opens_history=(NOW - 3 * DAY, NOW - 20 * DAY))
    assert not store.extend_history(connection_id, "steps", NOW - 9 * DAY, NOW - 5 * DAY, NOW)
    steps = store.load(connection_id).cursors["steps"]
    assert (steps.synced_until, steps.history_from, steps.history_goal) == (NOW, None, None)
