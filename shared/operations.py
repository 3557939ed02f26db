"""What an operator asks of a running instance: connections, sync lag, poison messages and request budgets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from shared.store import status as status_store

if TYPE_CHECKING:
    from shared.budget.windows import BudgetUse
    from shared.config import Settings


@dataclass(frozen=True)
class ProviderStatus:
    """One provider's figures (counts and seconds only)."""

    connections: dict[str, int]
    lag_seconds_p50: float | None
    lag_seconds_p90: float | None
    lag_seconds_p99: float | None
    lag_seconds_max: float | None
    poison_messages: int
    request_budgets: tuple[BudgetUse, ...] = field(default=())


def operational_status(database: Any, queue_depth: Callable[[str], int], *, now: datetime,
                       settings: Settings | None = None) -> dict[str, ProviderStatus]:
    """Return every provider's figures; `queue_depth(queue)` counts a queue's messages."""
    from shared.budget.gate import budget_uses
    from shared.config import get_settings
    from shared.providers import PROVIDERS

    settings = settings or get_settings()

    with database.transaction() as cursor:
        counts = status_store.connection_counts(cursor)
        lags = status_store.cursor_lags(cursor, now=now)
    report = {}
    for name, provider in PROVIDERS.items():
        own = lags.get(name, [])
        report[name] = ProviderStatus(
            connections=counts.get(name, {}),
            lag_seconds_p50=status_store.percentile(own, 0.50),
            lag_seconds_p90=status_store.percentile(own, 0.90),
            lag_seconds_p99=status_store.percentile(own, 0.99),
            lag_seconds_max=max(own) if own else None,
            poison_messages=queue_depth(f"{provider.queue}-poison"),
            request_budgets=budget_uses(database, name, provider.budgets(settings), lambda: now))
    return report


def record_gauges(report: dict[str, ProviderStatus]) -> None:
    """Export the figures as the sync-lag, poison-depth and request-budget gauges."""
    from shared.providers import PROVIDERS
    from shared.telemetry.signals import record_budget_use, record_poison_depth, record_sync_lag

    for name, figures in report.items():
        if figures.lag_seconds_max is not None:
            record_sync_lag(name, figures.lag_seconds_max)
        record_poison_depth(f"{PROVIDERS[name].queue}-poison", figures.poison_messages)
        for use in figures.request_budgets:
            record_budget_use(name, use.seconds, use.used, use.requests)


def as_json(report: dict[str, ProviderStatus]) -> dict[str, Any]:
    """Return the report as the admin endpoint answers it."""
    return {"providers": {name: asdict(figures) for name, figures in report.items()}}
