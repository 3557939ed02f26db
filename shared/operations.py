"""What an operator asks of a running instance: connections, sync lag and poison messages per provider."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from shared.store import status as status_store


@dataclass(frozen=True)
class ProviderStatus:
    """One provider's figures (counts and seconds only)."""

    connections: dict[str, int]
    lag_seconds_p50: float | None
    lag_seconds_p90: float | None
    lag_seconds_p99: float | None
    lag_seconds_max: float | None
    poison_messages: int


def operational_status(database: Any, queue_depth: Callable[[str], int], *, now: datetime
                       ) -> dict[str, ProviderStatus]:
    """Return every provider's figures; `queue_depth(queue)` counts a queue's messages."""
    from shared.providers import PROVIDERS

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
            poison_messages=queue_depth(f"{provider.queue}-poison"))
    return report


def record_gauges(report: dict[str, ProviderStatus]) -> None:
    """Export the figures as the sync-lag and poison-depth gauges."""
    from shared.providers import PROVIDERS
    from shared.telemetry.signals import record_poison_depth, record_sync_lag

    for name, figures in report.items():
        if figures.lag_seconds_max is not None:
            record_sync_lag(name, figures.lag_seconds_max)
        record_poison_depth(f"{PROVIDERS[name].queue}-poison", figures.poison_messages)


def as_json(report: dict[str, ProviderStatus]) -> dict[str, Any]:
    """Return the report as the admin endpoint answers it."""
    return {"providers": {name: asdict(figures) for name, figures in report.items()}}
