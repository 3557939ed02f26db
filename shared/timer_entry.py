"""Entry points of the timer functions."""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)


def refresh_tokens(*, past_due: bool, invocation_id: str | None = None) -> None:
    """Refresh the tokens that are due (timer_refresh_tokens)."""
    from shared.clock import utc_now
    from shared.config import get_settings
    from shared.crypto import get_keyring
    from shared.db import get_database
    from shared.telemetry.setup import configure_telemetry
    from shared.telemetry.signals import timer_span
    from shared.token_refresh import refresh_due_tokens

    configure_telemetry()
    if past_due:
        log.info("timer_refresh_tokens is running late (invocation %s)", invocation_id)
    with timer_span("timer_refresh_tokens", invocation_id):
        refresh_due_tokens(get_database(), get_settings(), get_keyring(), clock=utc_now, monotonic=time.monotonic)


def schedule_syncs(*, past_due: bool, invocation_id: str | None = None) -> None:
    """Queue the incremental syncs that are due (timer_schedule_sync), then export the lag and poison gauges."""
    from shared.clock import utc_now
    from shared.config import get_settings
    from shared.db import get_database
    from shared.jobs import enqueue_job
    from shared.operations import operational_status, record_gauges
    from shared.queues import get_queue_sender
    from shared.sync_scheduler import schedule_due_syncs
    from shared.telemetry.setup import configure_telemetry
    from shared.telemetry.signals import timer_span

    configure_telemetry()
    if past_due:
        log.info("timer_schedule_sync is running late (invocation %s)", invocation_id)
    with timer_span("timer_schedule_sync", invocation_id):
        schedule_due_syncs(get_database(), get_settings(),
                           enqueue=lambda job, delay: enqueue_job(job, delay_seconds=delay),
                           clock=utc_now, monotonic=time.monotonic)
        record_gauges(operational_status(get_database(), get_queue_sender().depth, now=utc_now()))


def expire_pending_links(*, past_due: bool, invocation_id: str | None = None) -> None:
    """Revoke and delete the pending links nobody confirmed in time (timer_expire_pending_links)."""
    from shared.clock import utc_now
    from shared.config import get_settings
    from shared.crypto import get_keyring
    from shared.db import get_database
    from shared.pending_link_expiry import expire_pending_links as expire
    from shared.telemetry.setup import configure_telemetry
    from shared.telemetry.signals import timer_span

    configure_telemetry()
    if past_due:
        log.info("timer_expire_pending_links is running late (invocation %s)", invocation_id)
    with timer_span("timer_expire_pending_links", invocation_id):
        expire(get_database(), get_settings(), get_keyring(), clock=utc_now, monotonic=time.monotonic)


def purge_retention(*, past_due: bool, invocation_id: str | None = None) -> None:
    """Delete what is past its retention period (timer_purge_retention)."""
    from shared.clock import utc_now
    from shared.config import get_settings
    from shared.db import get_database
    from shared.retention import purge_retention as purge
    from shared.telemetry.setup import configure_telemetry
    from shared.telemetry.signals import timer_span

    configure_telemetry()
    if past_due:
        log.info("timer_purge_retention is running late (invocation %s)", invocation_id)
    with timer_span("timer_purge_retention", invocation_id):
        purge(get_database(), get_settings(), now=utc_now())


def maintain_webhooks(*, past_due: bool, invocation_id: str | None = None) -> None:
    """Repair the webhook subscriptions that expire and forget old replay digests (timer_webhook_subscriptions)."""
    from shared.clock import utc_now
    from shared.config import get_settings
    from shared.db import get_database
    from shared.telemetry.setup import configure_telemetry
    from shared.telemetry.signals import timer_span
    from shared.webhooks.upkeep import maintain

    configure_telemetry()
    if past_due:
        log.info("timer_webhook_subscriptions is running late (invocation %s)", invocation_id)
    with timer_span("timer_webhook_subscriptions", invocation_id):
        maintain(get_database(), get_settings(), now=utc_now())
