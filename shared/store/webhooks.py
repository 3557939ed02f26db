"""Webhook bookkeeping: pending narrowed windows, the replay guard, deletions, last notification per provider."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class PendingWindow:
    """The window a queued webhook job of one connection and stream will read."""

    stream: str
    window_start: datetime
    window_end: datetime
    version: int


def widen_window(cursor: Any, connection_id: uuid.UUID, stream: str, *, start: datetime, end: datetime,
                 now: datetime) -> bool:
    """Add [start, end) to the stream's pending window; return True when a job must be queued for it.

    A job is needed when the row is new or its last job already started (`queued` false). When two
    notifications insert at once, the one whose INSERT won queues the job.
    """
    cursor.execute(
        "WITH old AS (SELECT queued FROM webhook_windows WHERE connection_id = %(id)s AND stream = %(stream)s"
        " FOR UPDATE)"
        " INSERT INTO webhook_windows AS w (connection_id, stream, window_start, window_end, updated_at)"
        " VALUES (%(id)s, %(stream)s, %(start)s, %(end)s, %(now)s)"
        " ON CONFLICT (connection_id, stream) DO UPDATE SET"
        " window_start = LEAST(w.window_start, EXCLUDED.window_start),"
        " window_end = GREATEST(w.window_end, EXCLUDED.window_end),"
        " version = w.version + 1, queued = true, updated_at = EXCLUDED.updated_at"
        " RETURNING (xmax = 0), (SELECT queued FROM old)",
        {"id": str(connection_id), "stream": stream, "start": start, "end": end, "now": now})
    inserted, was_queued = cursor.fetchone()
    return bool(inserted) or was_queued is False


def take_waiting_windows(cursor: Any, connection_id: uuid.UUID, *, also_stream: str | None = None
                         ) -> list[PendingWindow]:
    """Mark every waiting window of the connection as being read (and `also_stream`'s); return them.

    One job reads all of a connection's waiting windows, so a burst over several streams becomes one
    job rather than several that would wait for each other's lease. A transaction-level advisory lock
    per connection makes jobs starting together take disjoint sets.
    """
    cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"webhook-windows:{connection_id}",))
    cursor.execute(
        "UPDATE webhook_windows SET queued = false WHERE connection_id = %s AND (queued OR stream = %s)"
        " RETURNING stream, window_start, window_end, version", (str(connection_id), also_stream))
    return sorted((PendingWindow(*row) for row in cursor.fetchall()), key=lambda window: window.stream)


def settle_window(cursor: Any, connection_id: uuid.UUID, window: PendingWindow) -> bool:
    """Delete the window once read, unless a notification widened it meanwhile; True when deleted."""
    cursor.execute("DELETE FROM webhook_windows WHERE connection_id = %s AND stream = %s AND version = %s",
                   (str(connection_id), window.stream, window.version))
    return cursor.rowcount == 1


def pending_windows(cursor: Any, connection_id: uuid.UUID) -> list[PendingWindow]:
    """Return the connection's pending windows, by stream."""
    cursor.execute("SELECT stream, window_start, window_end, version FROM webhook_windows"
                   " WHERE connection_id = %s ORDER BY stream", (str(connection_id),))
    return [PendingWindow(*row) for row in cursor.fetchall()]


def first_sighting(cursor: Any, digest: bytes, *, now: datetime) -> bool:
    """Remember a notification's digest; return False when it was seen before (a replay)."""
    cursor.execute("INSERT INTO webhook_seen (digest, seen_at) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                   (digest, now))
    return cursor.rowcount == 1


def forget_seen_before(cursor: Any, cutoff: datetime) -> int:
    """Drop digests older than `cutoff`; return how many."""
    cursor.execute("DELETE FROM webhook_seen WHERE seen_at < %s", (cutoff,))
    return cursor.rowcount


def record_deletion(cursor: Any, connection_id: uuid.UUID, stream: str, *, start: datetime, end: datetime,
                    object_id: str | None, now: datetime) -> None:
    """Keep a deletion the provider notified (the records it removed are re-read, not retracted)."""
    cursor.execute(
        "INSERT INTO webhook_deletions (connection_id, stream, window_start, window_end, object_id, received_at)"
        " VALUES (%s, %s, %s, %s, %s, %s)", (str(connection_id), stream, start, end, object_id, now))


def note_notification(cursor: Any, provider: str, *, now: datetime) -> None:
    """Record that `provider` sent a verified notification at `now`."""
    cursor.execute(
        "INSERT INTO webhook_health (provider, last_notification_at) VALUES (%s, %s)"
        " ON CONFLICT (provider) DO UPDATE SET"
        " last_notification_at = GREATEST(webhook_health.last_notification_at, EXCLUDED.last_notification_at)",
        (provider, now))


def last_notification_at(cursor: Any, provider: str) -> datetime | None:
    """Return when `provider` last sent a verified notification (None: never)."""
    cursor.execute("SELECT last_notification_at FROM webhook_health WHERE provider = %s", (provider,))
    row = cursor.fetchone()
    return row[0] if row else None


@dataclass(frozen=True)
class NotifiedConnection:
    """The connection a notification is about: id, status and granted scopes."""

    id: uuid.UUID
    status: str
    scopes: tuple[str, ...]


def connection_of_account(cursor: Any, provider: str, provider_user_id: str) -> NotifiedConnection | None:
    """Return the connection linked to a provider account (a live one before a revoked one), if any."""
    cursor.execute(
        "SELECT id, status, scopes FROM connections WHERE provider = %s AND provider_user_id = %s"
        " ORDER BY status = 'revoked', updated_at DESC LIMIT 1", (provider, provider_user_id))
    row = cursor.fetchone()
    return NotifiedConnection(uuid.UUID(str(row[0])), row[1], tuple(row[2] or ())) if row else None


def record_narrowed_sync(cursor: Any, connection_id: uuid.UUID, *, succeeded: bool, error: str | None,
                         now: datetime) -> None:
    """Record the end of a webhook job: last success and error only (the polling schedule is left alone)."""
    cursor.execute(
        "UPDATE connections SET last_sync_at = CASE WHEN %s THEN %s ELSE last_sync_at END,"
        " last_error = COALESCE(%s, last_error), updated_at = %s WHERE id = %s",
        (succeeded, now, error, now, str(connection_id)))


def note_object(cursor: Any, connection_id: uuid.UUID, stream: str, object_id: str, *, now: datetime) -> None:
    """Remember a notified object the job must locate (the notification named no times)."""
    cursor.execute(
        "INSERT INTO webhook_objects (connection_id, stream, object_id, received_at) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (connection_id, stream, object_id) DO UPDATE SET received_at = EXCLUDED.received_at",
        (str(connection_id), stream, object_id, now))


@dataclass(frozen=True)
class NotifiedObject:
    """An object a notification named without times, and when it was last notified."""

    object_id: str
    received_at: datetime


def waiting_objects(cursor: Any, connection_id: uuid.UUID, stream: str) -> list[NotifiedObject]:
    """Return the stream's notified objects not located yet, oldest first."""
    cursor.execute("SELECT object_id, received_at FROM webhook_objects WHERE connection_id = %s AND stream = %s"
                   " ORDER BY received_at, object_id", (str(connection_id), stream))
    return [NotifiedObject(*row) for row in cursor.fetchall()]


def forget_objects(cursor: Any, connection_id: uuid.UUID, stream: str, object_ids: list[str]) -> None:
    """Drop objects once located (and their windows read or handed on)."""
    cursor.execute("DELETE FROM webhook_objects WHERE connection_id = %s AND stream = %s AND object_id = ANY(%s)",
                   (str(connection_id), stream, object_ids))
