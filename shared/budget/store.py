"""The shared count of each provider's calls, in PostgreSQL: one statement checks and counts a call.

Every worker on every host calls `spend` before a provider call. A transaction-scoped advisory lock
per provider serialises the check and the count (so two workers cannot both take the last call of a
budget); the statement after it reads the counted slots of every budget, counts the call in the
current slot of each when all of them have room (`INSERT ... ON CONFLICT DO UPDATE`), deletes slots
that have left their period, and answers the slots as they were before the call. The lock and the
statement go out as one query string (one round trip, one implicit transaction); the lock is held
only while it runs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from shared.budget import windows
from shared.budget.limits import RequestBudget

_SPEND = """
SELECT pg_advisory_xact_lock(hashtext('request_budget'), hashtext(%(provider)s));
WITH wanted (period_ms, slot_start_ms, since_ms, cap) AS (
    SELECT * FROM unnest(%(periods)s::bigint[], %(slots)s::bigint[], %(since)s::bigint[], %(caps)s::int[])),
counted AS (
    SELECT s.period_ms, s.slot_start_ms, s.used FROM wanted w JOIN request_budget_slots s
        ON s.provider = %(provider)s AND s.period_ms = w.period_ms AND s.slot_start_ms >= w.since_ms),
verdict AS (
    SELECT bool_and(COALESCE((SELECT sum(c.used) FROM counted c WHERE c.period_ms = w.period_ms), 0) < w.cap)
        AS allowed FROM wanted w),
spent AS (
    INSERT INTO request_budget_slots AS s (provider, period_ms, slot_start_ms, used)
    SELECT %(provider)s, period_ms, slot_start_ms, 1 FROM wanted WHERE %(count)s AND (SELECT allowed FROM verdict)
    ON CONFLICT (provider, period_ms, slot_start_ms) DO UPDATE SET used = s.used + 1
    RETURNING 1),
purged AS (
    DELETE FROM request_budget_slots s USING wanted w
    WHERE s.provider = %(provider)s AND s.period_ms = w.period_ms AND s.slot_start_ms < w.since_ms
    RETURNING 1)
SELECT (SELECT allowed FROM verdict),
       (SELECT COALESCE(json_agg(json_build_array(period_ms, slot_start_ms, used)), '[]') FROM counted);
"""


def spend(database: Any, provider: str, budgets: Sequence[RequestBudget], now_ms: int, *,
          count: bool = True) -> tuple[bool, Mapping[int, windows.Slots]]:
    """Count one call of `provider` if every budget has room; return whether it did and the slots before it.

    `count=False` only reads (the status page). The slots are keyed by period in milliseconds.
    """
    params = {
        "provider": provider,
        "periods": [windows.period_ms(budget) for budget in budgets],
        "slots": [windows.slot_start(budget, now_ms) for budget in budgets],
        "since": [windows.counted_since(budget, now_ms) for budget in budgets],
        "caps": [budget.requests for budget in budgets],
        "count": count,
    }
    with database.connection() as conn:
        # One query string of two statements runs as one implicit transaction: a single round trip, and
        # the advisory lock is released when it ends.
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(_SPEND, params)
                allowed, rows = cursor.fetchone()
        finally:
            conn.autocommit = False
    slots: dict[int, list[tuple[int, int]]] = {}
    for period, start, used in rows if isinstance(rows, list) else json.loads(rows):
        slots.setdefault(int(period), []).append((int(start), int(used)))
    return bool(allowed) and count, slots
