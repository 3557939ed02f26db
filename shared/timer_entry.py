"""Entry points of the timer functions: each one traced, logged when late, and run with the real parts."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)


@contextmanager
def _timer_run(name: str, past_due: bool, invocation_id: str | None) -> Iterator[None]:
    """Switch telemetry on, note a late run, and trace the run as one span."""
    from shared.telemetry.setup import configure_telemetry
    from shared.telemetry.signals import timer_span

    configure_telemetry()
    if past_due:
        log.info("%s is running late (invocation %s)", name, invocation_id)
    with timer_span(name, invocation_id):
        yield


def _parts() -> tuple[object, object, Callable[[], object]]:
    """Return the database, the settings and the clock."""
    from shared.clock import utc_now
    from shared.config import get_settings
    from shared.db import get_database

    return get_database(), get_settings(), utc_now


def refresh_tokens(*, past_due: bool, invocation_id: str | None = None) -> None:
    """Refresh the tokens that are due (timer_refresh_tokens)."""
    from shared.crypto import get_keyring
    from shared.token_refresh import refresh_due_tokens

    with _timer_run("timer_refresh_tokens", past_due, invocation_id):
        database, settings, clock = _parts()
        refresh_due_tokens(database, settings, get_keyring(), clock=clock, monotonic=time.monotonic)


def schedule_syncs(*, past_due: bool, invocation_id: str | None = None) -> None:
    """Queue the incremental syncs that are due (timer_schedule_sync), then export the lag and poison gauges."""
    from shared.jobs import enqueue_job
    from shared.operations import operational_status, record_gauges
    from shared.queues import get_queue_sender
    from shared.sync_scheduler import schedule_due_syncs

    with _timer_run("timer_schedule_sync", past_due, invocation_id):
        database, settings, clock = _parts()
        schedule_due_syncs(database, settings, enqueue=lambda job, delay: enqueue_job(job, delay_seconds=delay),
                           clock=clock, monotonic=time.monotonic)
        record_gauges(operational_status(database, get_queue_sender().depth, now=clock()))


def expire_pending_links(*, past_due: bool, invocation_id: str | None = None) -> None:
    """Revoke and delete the pending links nobody confirmed in time (timer_expire_pending_links)."""
    from shared.crypto import get_keyring
    from shared.pending_link_expiry import expire_pending_links as expire

    with _timer_run("timer_expire_pending_links", past_due, invocation_id):
        database, settings, clock = _parts()
        expire(database, settings, get_keyring(), clock=clock, monotonic=time.monotonic)


def purge_retention(*, past_due: bool, invocation_id: str | None = None) -> None:
    """Delete what is past its retention period (timer_purge_retention)."""
    from shared.retention import purge_retention as purge

    with _timer_run("timer_purge_retention", past_due, invocation_id):
        database, settings, clock = _parts()
        purge(database, settings, now=clock())


def maintain_webhooks(*, past_due: bool, invocation_id: str | None = None) -> None:
    """Repair the webhook subscriptions that expire and forget old replay digests (timer_webhook_subscriptions)."""
    from shared.webhooks.upkeep import maintain

    with _timer_run("timer_webhook_subscriptions", past_due, invocation_id):
        database, settings, clock = _parts()
        maintain(database, settings, now=clock())
