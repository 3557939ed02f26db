"""Recent first, then history newest to oldest: the pure rules over a stream's cursor."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from shared.contract.records import DatastreamPacket, Event, IntervalPoint
from shared.store.cursors import StreamCursor

# A history chain that has not moved for this long is taken up again by the next scheduled sync.
# Longer than the longest continuation delay (a rate limit waits at most a day) plus a job's budget.
HISTORY_STALLED_AFTER = timedelta(days=1, hours=1)


def history_pending(cursor: StreamCursor | None) -> bool:
    """Return whether a stream still has history to backfill (older than `history_from`, down to its goal)."""
    return (cursor is not None and cursor.history_from is not None and cursor.history_goal is not None
            and cursor.history_from > cursor.history_goal)


def history_stalled(cursor: StreamCursor | None, now: datetime) -> bool:
    """Return whether a stream's pending history has not moved for `HISTORY_STALLED_AFTER`."""
    if not history_pending(cursor):
        return False
    moved = cursor.history_moved_at
    return moved is None or now - moved >= HISTORY_STALLED_AFTER


def next_history_window(cursor: StreamCursor, max_window: timedelta) -> tuple[datetime, datetime]:
    """Return the next (older) window of a stream's history: up to `history_from`, at most `max_window` long.

    Raises:
        ValueError: the stream has no pending history.
    """
    if not history_pending(cursor):
        raise ValueError(f"stream {cursor.stream} has no pending history")
    end = cursor.history_from
    return max(cursor.history_goal, end - max_window), end


def newest_pending(cursors: Iterable[StreamCursor]) -> StreamCursor | None:
    """Return the cursor whose pending history is the newest (so history fills newest to oldest overall)."""
    pending = [cursor for cursor in cursors if history_pending(cursor)]
    return max(pending, key=lambda cursor: (cursor.history_from, cursor.stream)) if pending else None


def latest_record_time(records: Sequence[Any]) -> datetime | None:
    """Return the newest time among records (an event's end, a datastream point's time or end), or None."""
    latest: datetime | None = None
    for record in records:
        if isinstance(record, Event):
            candidate = record.end_time
        elif isinstance(record, DatastreamPacket) and record.points:
            candidate = max(point.end_time if isinstance(point, IntervalPoint) else point.timestamp
                            for point in record.points)
        else:
            continue
        if latest is None or candidate > latest:
            latest = candidate
    return latest
