"""Operational figures: connections by provider and status, and how far behind their cursors are."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def connection_counts(cursor: Any) -> dict[str, dict[str, int]]:
    """Return {provider: {status: connections}}."""
    cursor.execute("SELECT provider, status, count(*) FROM connections GROUP BY provider, status")
    counts: dict[str, dict[str, int]] = {}
    for provider, status, count in cursor.fetchall():
        counts.setdefault(provider, {})[status] = int(count)
    return counts


def cursor_lags(cursor: Any, *, now: datetime) -> dict[str, list[float]]:
    """Return, per provider, each active connection's lag in seconds: the age of its oldest stream cursor.

    A connection whose streams have no cursor yet counts from when it was connected.
    """
    cursor.execute(
        "SELECT c.provider, EXTRACT(EPOCH FROM (%(now)s - COALESCE(MIN(s.synced_until), c.connected_at)))"
        " FROM connections c LEFT JOIN sync_cursors s ON s.connection_id = c.id"
        " WHERE c.status = 'active' GROUP BY c.id, c.provider", {"now": now})
    lags: dict[str, list[float]] = {}
    for provider, seconds in cursor.fetchall():
        lags.setdefault(provider, []).append(max(0.0, float(seconds)))
    return lags


def percentile(values: list[float], fraction: float) -> float | None:
    """Return the nearest-rank percentile of `values` (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-fraction * len(ordered) // 1))))
    return ordered[rank - 1]
