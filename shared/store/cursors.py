"""Sync cursors: per connection and stream, how far delivery is confirmed, and the stream's status."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class StreamCursor:
    """A stream's cursor row."""

    stream: str
    synced_until: datetime | None
    last_success_at: datetime | None
    status: str
    last_error: str | None
    history_from: datetime | None = None
    history_goal: datetime | None = None
    history_moved_at: datetime | None = None
    last_record_at: datetime | None = None


def load_cursors(cursor: Any, connection_id: uuid.UUID) -> dict[str, StreamCursor]:
    """Return the connection's cursors by stream name."""
    cursor.execute(
        "SELECT stream, synced_until, last_success_at, status, last_error, history_from, history_goal,"
        " history_moved_at, last_record_at FROM sync_cursors"
        " WHERE connection_id = %s", (str(connection_id),))
    return {row[0]: StreamCursor(*row) for row in cursor.fetchall()}


def advance_cursor(cursor: Any, connection_id: uuid.UUID, stream: str, *, synced_until: datetime,
                   now: datetime, opens_history: tuple[datetime, datetime] | None = None,
                   last_record_at: datetime | None = None) -> None:
    """Move a stream's cursor forward (never back) after the sink confirmed delivery up to it.

    Args:
        opens_history: (window start, history goal) of a stream's first window: its history starts
            there and is backfilled down to the goal. Ignored once the stream has a cursor.
        last_record_at: the newest record time of the window, if it had records.
    """
    history_from, goal = opens_history or (None, None)
    cursor.execute(
        "INSERT INTO sync_cursors (connection_id, stream, synced_until, last_success_at, status, updated_at,"
        " history_from, history_goal, history_moved_at, last_record_at)"
        " VALUES (%(id)s, %(stream)s, %(until)s, %(now)s, 'ok', %(now)s, %(from)s, %(goal)s, %(moved)s, %(last)s)"
        " ON CONFLICT (connection_id, stream) DO UPDATE SET"
        " synced_until = GREATEST(sync_cursors.synced_until, EXCLUDED.synced_until),"
        " history_from = CASE WHEN sync_cursors.synced_until IS NULL THEN EXCLUDED.history_from"
        "   ELSE sync_cursors.history_from END,"
        " history_goal = CASE WHEN sync_cursors.synced_until IS NULL THEN EXCLUDED.history_goal"
        "   ELSE sync_cursors.history_goal END,"
        " history_moved_at = CASE WHEN sync_cursors.synced_until IS NULL THEN EXCLUDED.history_moved_at"
        "   ELSE sync_cursors.history_moved_at END,"
        " last_record_at = GREATEST(sync_cursors.last_record_at, EXCLUDED.last_record_at),"
        " last_success_at = EXCLUDED.last_success_at, status = 'ok', last_error = NULL,"
        " updated_at = EXCLUDED.updated_at",
        {"id": str(connection_id), "stream": stream, "until": synced_until, "now": now, "from": history_from,
         "goal": goal, "moved": now if opens_history else None, "last": last_record_at})


def extend_history(cursor: Any, connection_id: uuid.UUID, stream: str, *, window_start: datetime,
                   window_end: datetime, now: datetime, last_record_at: datetime | None = None) -> bool:
    """Move a stream's history back to `window_start` after the sink confirmed [window_start, window_end).

    The history moves only backwards and only when the window touches it (`history_from <= window_end`),
    so what lies between `history_from` and `synced_until` stays contiguous.

    Returns:
        Whether the history moved.
    """
    cursor.execute(
        "UPDATE sync_cursors SET history_from = %(start)s, history_moved_at = %(now)s, updated_at = %(now)s,"
        " last_record_at = GREATEST(last_record_at, %(last)s)"
        " WHERE connection_id = %(id)s AND stream = %(stream)s"
        "   AND history_from <= %(end)s AND history_from > %(start)s",
        {"id": str(connection_id), "stream": stream, "start": window_start, "end": window_end, "now": now,
         "last": last_record_at})
    return cursor.rowcount == 1


def record_stream_problem(cursor: Any, connection_id: uuid.UUID, stream: str, *, status: str, message: str,
                          now: datetime) -> None:
    """Record that a stream was skipped or failed, in plain words; its cursor does not move."""
    cursor.execute(
        "INSERT INTO sync_cursors (connection_id, stream, status, last_error, last_error_at, updated_at)"
        " VALUES (%s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (connection_id, stream) DO UPDATE SET status = EXCLUDED.status,"
        " last_error = EXCLUDED.last_error, last_error_at = EXCLUDED.last_error_at,"
        " updated_at = EXCLUDED.updated_at",
        (str(connection_id), stream, status, message, now, now))
