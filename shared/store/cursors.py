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


def load_cursors(cursor: Any, connection_id: uuid.UUID) -> dict[str, StreamCursor]:
    """Return the connection's cursors by stream name."""
    cursor.execute(
        "SELECT stream, synced_until, last_success_at, status, last_error FROM sync_cursors"
        " WHERE connection_id = %s", (str(connection_id),))
    return {row[0]: StreamCursor(*row) for row in cursor.fetchall()}


def advance_cursor(cursor: Any, connection_id: uuid.UUID, stream: str, *, synced_until: datetime,
                   now: datetime) -> None:
    """Move a stream's cursor forward (never back) after the sink confirmed delivery up to it."""
    cursor.execute(
        "INSERT INTO sync_cursors (connection_id, stream, synced_until, last_success_at, status, updated_at)"
        " VALUES (%s, %s, %s, %s, 'ok', %s)"
        " ON CONFLICT (connection_id, stream) DO UPDATE SET"
        " synced_until = GREATEST(sync_cursors.synced_until, EXCLUDED.synced_until),"
        " last_success_at = EXCLUDED.last_success_at, status = 'ok', last_error = NULL,"
        " updated_at = EXCLUDED.updated_at",
        (str(connection_id), stream, synced_until, now, now))


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
