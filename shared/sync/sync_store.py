"""What the engine reads and writes about a connection, and its PostgreSQL implementation."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from shared.store import connections as connection_store
from shared.store import cursors as cursor_store
from shared.store import leases as lease_store
from shared.store.connections import Connection
from shared.store.cursors import StreamCursor


@dataclass(frozen=True)
class SyncState:
    """A connection and its stream cursors, as a job starts."""

    connection: Connection
    cursors: Mapping[str, StreamCursor]


class SyncStore(Protocol):
    """The engine's view of the database: one short transaction per call."""

    def load(self, connection_id: uuid.UUID) -> SyncState | None:
        """Return the connection and its cursors, or None when the connection is unknown."""

    def acquire_lease(self, connection_id: uuid.UUID, holder: uuid.UUID, now: datetime, until: datetime) -> bool:
        """Take the connection's lease unless a live one is held or the connection is not active."""

    def release_lease(self, connection_id: uuid.UUID, holder: uuid.UUID) -> None:
        """Give the lease back if `holder` still has it."""

    def holding_lease(self, connection_id: uuid.UUID, holder: uuid.UUID) -> AbstractContextManager[bool]:
        """Enter with True while the connection is active and `holder` has its lease; a disconnect waits
        until the block is left, so nothing delivered inside it arrives after the disconnect answered."""

    def advance_cursor(self, connection_id: uuid.UUID, stream: str, synced_until: datetime, now: datetime, *,
                       opens_history: tuple[datetime, datetime] | None = None,
                       last_record_at: datetime | None = None) -> None:
        """Move a stream's cursor forward (never back) after the sink confirmed delivery up to it.

        A stream's first window also opens its history: (window start, goal), backfilled later.
        """

    def extend_history(self, connection_id: uuid.UUID, stream: str, window_start: datetime, window_end: datetime,
                       now: datetime, *, last_record_at: datetime | None = None) -> bool:
        """Move a stream's history back to `window_start` after the sink confirmed the window; never forward.

        Returns:
            Whether it moved (False when the window does not touch the delivered history).
        """

    def record_stream_problem(self, connection_id: uuid.UUID, stream: str, status: str, message: str,
                              now: datetime) -> None:
        """Record that a stream was skipped or failed; its cursor does not move."""

    def mark_service_ended(self, connection_id: uuid.UUID, message: str, now: datetime) -> None:
        """Mark a connection whose provider ended its service."""

    def record_sync_finished(self, connection_id: uuid.UUID, succeeded: bool, error: str | None, now: datetime,
                             next_sync_at: datetime) -> None:
        """Record the end of a sync and when the next one is due."""


class PostgresSyncStore:
    """`SyncStore` over the app's PostgreSQL database."""

    def __init__(self, database: Any) -> None:
        self._database = database

    def load(self, connection_id: uuid.UUID) -> SyncState | None:
        """Return the connection and its cursors, or None when the connection is unknown."""
        with self._database.transaction() as cursor:
            connection = connection_store.get_connection(cursor, connection_id)
            if connection is None:
                return None
            return SyncState(connection, cursor_store.load_cursors(cursor, connection_id))

    def acquire_lease(self, connection_id: uuid.UUID, holder: uuid.UUID, now: datetime, until: datetime) -> bool:
        """Take the connection's lease unless a live one is held or the connection is not active."""
        with self._database.transaction() as cursor:
            return lease_store.acquire_lease(cursor, connection_id, holder, now=now, until=until)

    def release_lease(self, connection_id: uuid.UUID, holder: uuid.UUID) -> None:
        """Give the lease back if `holder` still has it."""
        with self._database.transaction() as cursor:
            lease_store.release_lease(cursor, connection_id, holder)

    @contextmanager
    def holding_lease(self, connection_id: uuid.UUID, holder: uuid.UUID) -> Iterator[bool]:
        """Share-lock the connection row for the block; enter with whether `holder` still has it, active."""
        with self._database.transaction() as cursor:
            yield lease_store.lock_if_held(cursor, connection_id, holder)

    def advance_cursor(self, connection_id: uuid.UUID, stream: str, synced_until: datetime, now: datetime, *,
                       opens_history: tuple[datetime, datetime] | None = None,
                       last_record_at: datetime | None = None) -> None:
        """Move a stream's cursor forward (never back)."""
        with self._database.transaction() as cursor:
            cursor_store.advance_cursor(cursor, connection_id, stream, synced_until=synced_until, now=now,
                                        opens_history=opens_history, last_record_at=last_record_at)

    def extend_history(self, connection_id: uuid.UUID, stream: str, window_start: datetime, window_end: datetime,
                       now: datetime, *, last_record_at: datetime | None = None) -> bool:
        """Move a stream's history back to `window_start` (never forward)."""
        with self._database.transaction() as cursor:
            return cursor_store.extend_history(cursor, connection_id, stream, window_start=window_start,
                                               window_end=window_end, now=now, last_record_at=last_record_at)

    def record_stream_problem(self, connection_id: uuid.UUID, stream: str, status: str, message: str,
                              now: datetime) -> None:
        """Record a skipped or failed stream."""
        with self._database.transaction() as cursor:
            cursor_store.record_stream_problem(cursor, connection_id, stream, status=status, message=message, now=now)

    def mark_service_ended(self, connection_id: uuid.UUID, message: str, now: datetime) -> None:
        """Mark a connection whose provider ended its service."""
        with self._database.transaction() as cursor:
            connection_store.mark_service_ended(cursor, connection_id, message=message, now=now)

    def record_sync_finished(self, connection_id: uuid.UUID, succeeded: bool, error: str | None, now: datetime,
                             next_sync_at: datetime) -> None:
        """Record the end of a sync."""
        with self._database.transaction() as cursor:
            connection_store.record_sync_finished(cursor, connection_id, succeeded=succeeded, error=error, now=now,
                                                  next_sync_at=next_sync_at)
