"""A stream's sync progress as the connections API shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.store.cursors import StreamCursor


@dataclass(frozen=True)
class StreamProgress:
    """How far one stream is synced: forward (`synced_through`) and back in time (`history_from`)."""

    stream: str
    status: str
    last_error: str | None
    synced_through: datetime | None
    history_from: datetime | None
    history_goal: datetime | None
    history_percent: int | None
    last_record_at: datetime | None

    def to_json(self) -> dict:
        """Return the API's JSON object (ISO 8601 UTC times, null when unknown)."""
        return {
            "stream": self.stream,
            "status": self.status,
            "last_error": self.last_error,
            "synced_through": _iso(self.synced_through),
            "history_from": _iso(self.history_from),
            "history_goal": _iso(self.history_goal),
            "history_complete": self.history_percent == 100,
            "history_percent": self.history_percent,
            "last_record_at": _iso(self.last_record_at),
        }


def history_percent(cursor: StreamCursor) -> int | None:
    """Return the share of the history span (goal to `synced_until`) delivered, 0-100, or None when unknown.

    A stream synced before history was tracked (no `history_from`, but a cursor) read its history oldest
    first and is complete.
    """
    if cursor.synced_until is None:
        return None
    if cursor.history_from is None or cursor.history_goal is None or cursor.history_from <= cursor.history_goal:
        return 100
    span = (cursor.synced_until - cursor.history_goal).total_seconds()
    done = (cursor.synced_until - cursor.history_from).total_seconds()
    return max(0, min(99, int(100 * done / span))) if span > 0 else 0


def stream_progress(cursor: StreamCursor) -> StreamProgress:
    """Return a stream's progress from its cursor."""
    return StreamProgress(cursor.stream, cursor.status, cursor.last_error, cursor.synced_until, cursor.history_from,
                          cursor.history_goal, history_percent(cursor), cursor.last_record_at)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
