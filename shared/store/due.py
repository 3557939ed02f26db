"""The timers' selection queries: connections whose tokens or syncs are due (SKIP LOCKED batches)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any


def lock_refresh_batch(cursor: Any, *, now: datetime, horizon: timedelta, max_idle: timedelta,
                       limit: int, exclude: Collection[uuid.UUID] = ()) -> list[tuple[uuid.UUID, str, bool]]:
    """Lock up to `limit` active connections whose token expires within `horizon` or whose refresh
    token has been idle longer than `max_idle`, skipping rows another worker holds and `exclude`.

    Returns:
        (connection id, provider, idle) per row; `idle` means only the refresh token's age is due.
    """
    cursor.execute(
        "SELECT id, provider, access_token_expires_at >= %(soon)s AS idle_only FROM connections"
        " WHERE status = 'active' AND refresh_token_enc IS NOT NULL"
        "   AND (next_refresh_attempt_at IS NULL OR next_refresh_attempt_at <= %(now)s)"
        "   AND (access_token_expires_at < %(soon)s OR tokens_refreshed_at < %(stale)s)"
        "   AND NOT (id = ANY(%(exclude)s::uuid[]))"
        " ORDER BY access_token_expires_at LIMIT %(limit)s FOR UPDATE SKIP LOCKED",
        {"now": now, "soon": now + horizon, "stale": now - max_idle, "limit": limit,
         "exclude": [str(connection_id) for connection_id in exclude]})
    return [(uuid.UUID(str(row[0])), row[1], bool(row[2])) for row in cursor.fetchall()]


def record_refresh_failure(cursor: Any, connection_id: uuid.UUID, *, now: datetime, message: str) -> int:
    """Count a transient refresh failure and set when to try again (doubling, 1 minute to 6 hours)."""
    cursor.execute(
        "UPDATE connections SET refresh_failures = refresh_failures + 1,"
        " next_refresh_attempt_at = %s + LEAST(interval '6 hours', interval '1 minute' * power(2, refresh_failures)),"
        " last_error = %s, last_error_at = %s, updated_at = %s WHERE id = %s RETURNING refresh_failures",
        (now, message, now, now, str(connection_id)))
    row = cursor.fetchone()
    return row[0] if row else 0


def lock_sync_batch(cursor: Any, *, now: datetime, limit: int) -> list[tuple[uuid.UUID, str, datetime | None]]:
    """Lock up to `limit` active connections due for a sync with no job pending.

    Returns:
        (connection id, provider, when a poll was last queued) per row.
    """
    cursor.execute(
        "SELECT id, provider, last_polled_at FROM connections"
        " WHERE status = 'active' AND next_sync_at <= %(now)s"
        "   AND (sync_pending_until IS NULL OR sync_pending_until <= %(now)s)"
        " ORDER BY next_sync_at LIMIT %(limit)s FOR UPDATE SKIP LOCKED",
        {"now": now, "limit": limit})
    return [(uuid.UUID(str(row[0])), row[1], row[2]) for row in cursor.fetchall()]


def defer_syncs(cursor: Any, connection_ids: list[uuid.UUID], *, next_sync_at: datetime, now: datetime) -> None:
    """Make connections due again at `next_sync_at` without queueing anything (webhooks keep them current)."""
    if not connection_ids:
        return
    cursor.execute(
        "UPDATE connections SET next_sync_at = %s, updated_at = %s WHERE id = ANY(%s::uuid[])",
        (next_sync_at, now, [str(i) for i in connection_ids]))


def mark_syncs_scheduled(cursor: Any, scheduled: list[tuple[uuid.UUID, datetime, datetime]], *,
                         now: datetime) -> None:
    """Record queued polls in one statement: (connection id, pending until, next due time) each."""
    if not scheduled:
        return
    ids, pending, next_due = zip(*scheduled)
    cursor.execute(
        "UPDATE connections AS c SET sync_pending_until = s.pending_until, next_sync_at = s.next_sync_at,"
        " last_polled_at = %s, updated_at = %s FROM unnest(%s::uuid[], %s::timestamptz[], %s::timestamptz[])"
        " AS s(id, pending_until, next_sync_at) WHERE c.id = s.id",
        (now, now, [str(i) for i in ids], list(pending), list(next_due)))
