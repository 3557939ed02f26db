"""The check before every provider call: spend one call of the app-wide budget, or say how long to wait."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from shared.budget import store, windows
from shared.budget.limits import RequestBudget
from shared.clock import Clock
from shared.errors import BudgetSpent

log = logging.getLogger(__name__)


def epoch_ms(clock: Clock) -> int:
    """Return the clock's time in epoch milliseconds."""
    return int(clock().timestamp() * 1000)


class BudgetGate:
    """Counts a provider's calls against its app-wide budgets in the shared store (none: every call passes)."""

    def __init__(self, database: Any, provider: str, budgets: Sequence[RequestBudget], clock: Clock) -> None:
        self._database = database
        self._provider = provider
        self._budgets = tuple(budgets)
        self._clock = clock

    def spend(self) -> None:
        """Count one call about to be made.

        Raises:
            BudgetSpent: a budget has no room; `retry_after` is the wait until every budget has room again.
        """
        if not self._budgets:
            return
        from shared.telemetry.signals import count_budget_wait, record_budget_use

        now_ms = epoch_ms(self._clock)
        allowed, slots = store.spend(self._database, self._provider, self._budgets, now_ms)
        verdict = windows.judge(self._budgets, slots, now_ms)
        for use in verdict.uses:
            record_budget_use(self._provider, use.seconds, use.used if allowed else use.requests, use.requests)
        if not allowed:
            count_budget_wait(self._provider)
            wait = max(verdict.wait_seconds, windows.slot_ms(min(self._budgets, key=_period)) / 1000)
            log.info("the app-wide %s request budget is spent; the job waits %.1fs", self._provider, wait)
            raise BudgetSpent(self._provider, wait)


def spend_waiting(gate: BudgetGate, longest_wait: float, sleep: Callable[[float], None] = time.sleep) -> None:
    """Spend one call, waiting for room up to `longest_wait` seconds in all (for calls a person waits on).

    Raises:
        BudgetSpent: the budget would not have room within `longest_wait`.
    """
    waited = 0.0
    while True:
        try:
            gate.spend()
            return
        except BudgetSpent as spent:
            wait = spent.retry_after or 0.0
            if waited + wait > longest_wait:
                raise
            sleep(wait)
            waited += wait


def _period(budget: RequestBudget) -> float:
    return budget.seconds


def budget_uses(database: Any, provider: str, budgets: Sequence[RequestBudget], clock: Clock
                ) -> tuple[windows.BudgetUse, ...]:
    """Return where each budget stands now, without counting a call (for the status page)."""
    if not budgets:
        return ()
    now_ms = epoch_ms(clock)
    _, slots = store.spend(database, provider, budgets, now_ms, count=False)
    return tuple(windows.BudgetUse(budget.requests, budget.seconds, windows.used(budget, slots.get(
        windows.period_ms(budget), ()), now_ms)) for budget in budgets)
