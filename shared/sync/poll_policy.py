"""Polling as the safety net: what the scheduler does with a due connection, given its provider's webhooks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.config import Settings


@dataclass(frozen=True)
class PollPlan:
    """What to do with a due connection: queue a job of `reason` (None: queue nothing), due again after `interval`."""

    reason: str | None
    interval: timedelta


def webhooks_healthy(last_notification: datetime | None, now: datetime, settings: Settings) -> bool:
    """Return whether a provider's webhooks are healthy: a notification seen within WEBHOOK_HEALTHY_MINUTES."""
    return last_notification is not None and now - last_notification <= timedelta(
        minutes=settings.webhook_healthy_minutes)


def poll_plan(provider: str, healthy: bool, last_polled_at: datetime | None, now: datetime,
              settings: Settings) -> PollPlan:
    """Return the plan for a due connection of `provider`.

    Webhooks unhealthy (or none): an incremental poll at the provider's interval, as before. Healthy: a
    reconciliation of the last SYNC_RECONCILE_DAYS once per SYNC_RECONCILE_INTERVAL_MINUTES, nothing in
    between; the connection is looked at again after the provider's interval, so polling resumes within
    one interval of the webhooks falling silent.
    """
    interval = timedelta(minutes=settings.sync_interval_for(provider))
    if not healthy:
        return PollPlan("incremental", interval)
    reconcile_every = timedelta(minutes=settings.sync_reconcile_interval_minutes)
    if last_polled_at is None or now - last_polled_at >= reconcile_every:
        return PollPlan("reconcile", interval)
    return PollPlan(None, interval)
