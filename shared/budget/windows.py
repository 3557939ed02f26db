"""The arithmetic of a sliding request budget over counted slots: pure, in epoch milliseconds.

Each budget's period is cut into `SLOTS_PER_PERIOD` slots and every call is counted in the slot it
falls in. A call is allowed while the slots from the one holding `now - period` up to now hold fewer
calls than the budget: those slots cover every instant of the last period (and up to one slot more),
so no stretch of `period` length ever holds more calls than the budget allows, wherever it starts.
That is what the providers count (a sliding window), unlike a fixed window that allows twice the
budget across a window boundary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from shared.budget.limits import RequestBudget

SLOTS_PER_PERIOD = 60

Slots = Sequence[tuple[int, int]]
"""Counted slots of one budget: (slot start in epoch ms, calls), oldest first."""


def period_ms(budget: RequestBudget) -> int:
    """Return the budget's period in milliseconds."""
    return max(1, round(budget.seconds * 1000))


def slot_ms(budget: RequestBudget) -> int:
    """Return the length of one counting slot in milliseconds."""
    return max(1, period_ms(budget) // SLOTS_PER_PERIOD)


def slot_start(budget: RequestBudget, at_ms: int) -> int:
    """Return the start of the slot that holds `at_ms`."""
    return at_ms - at_ms % slot_ms(budget)


def counted_since(budget: RequestBudget, now_ms: int) -> int:
    """Return the start of the oldest slot counted at `now_ms` (the slot holding `now - period`)."""
    return slot_start(budget, now_ms - period_ms(budget))


def used(budget: RequestBudget, slots: Slots, now_ms: int) -> int:
    """Return the calls counted against the budget at `now_ms`."""
    since = counted_since(budget, now_ms)
    return sum(calls for start, calls in slots if start >= since)


def wait_ms(budget: RequestBudget, slots: Slots, now_ms: int) -> int:
    """Return how long until one more call fits the budget (0: it fits now).

    The oldest counted slots leave the count one period after they end; the wait lasts until enough
    of them have left for the count to fall below the budget.
    """
    since = counted_since(budget, now_ms)
    counted = sorted((start, calls) for start, calls in slots if start >= since)
    remaining = sum(calls for _, calls in counted)
    for start, calls in counted:
        if remaining < budget.requests:
            break
        remaining -= calls
        leaves_at = start + slot_ms(budget) + period_ms(budget)
        if remaining < budget.requests:
            return max(0, leaves_at - now_ms)
    return 0


@dataclass(frozen=True)
class BudgetUse:
    """Where one budget stands: calls counted in its period against the calls it allows."""

    requests: int
    seconds: float
    used: int


@dataclass(frozen=True)
class Verdict:
    """Whether a call may go now; if not, the seconds until every budget has room again."""

    allowed: bool
    wait_seconds: float
    uses: tuple[BudgetUse, ...]


def judge(budgets: Sequence[RequestBudget], slots: Mapping[int, Slots], now_ms: int) -> Verdict:
    """Decide one call against every budget, from each budget's counted slots (keyed by period in ms).

    `uses` count the call itself when it is allowed.
    """
    counts = [used(budget, slots.get(period_ms(budget), ()), now_ms) for budget in budgets]
    allowed = all(count < budget.requests for budget, count in zip(budgets, counts, strict=True))
    wait = 0 if allowed else max(wait_ms(budget, slots.get(period_ms(budget), ()), now_ms) for budget in budgets)
    uses = tuple(BudgetUse(budget.requests, budget.seconds, count + (1 if allowed else 0))
                 for budget, count in zip(budgets, counts, strict=True))
    return Verdict(allowed, wait / 1000, uses)
