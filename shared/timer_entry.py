"""Entry points of the timer functions."""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)


def refresh_tokens(*, past_due: bool) -> None:
    """Refresh the tokens that are due (timer_refresh_tokens)."""
    from shared.clock import utc_now
    from shared.config import get_settings
    from shared.crypto import get_keyring
    from shared.db import get_database
    from shared.token_refresh import refresh_due_tokens

    if past_due:
        log.info("timer_refresh_tokens is running late")
    refresh_due_tokens(get_database(), get_settings(), get_keyring(), clock=utc_now, monotonic=time.monotonic)


def schedule_syncs(*, past_due: bool) -> None:
    """Queue the incremental syncs that are due (timer_schedule_sync)."""
    from shared.clock import utc_now
    from shared.config import get_settings
    from shared.db import get_database
    from shared.jobs import enqueue_job
    from shared.sync_scheduler import schedule_due_syncs

    if past_due:
        log.info("timer_schedule_sync is running late")
    schedule_due_syncs(get_database(), get_settings(),
                       enqueue=lambda job, delay: enqueue_job(job, delay_seconds=delay),
                       clock=utc_now, monotonic=time.monotonic)


def maintain_webhooks(*, past_due: bool) -> None:
    """Repair the webhook subscriptions that expire and forget old replay digests (timer_webhook_subscriptions)."""
    from shared.clock import utc_now
    from shared.config import get_settings
    from shared.db import get_database
    from shared.webhooks.upkeep import maintain

    if past_due:
        log.info("timer_webhook_subscriptions is running late")
    maintain(get_database(), get_settings(), now=utc_now())
