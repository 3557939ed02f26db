"""Entry points of the timer functions."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def refresh_tokens(*, past_due: bool) -> None:
    """Refresh tokens that expire soon (not implemented yet: logs and returns)."""
    log.warning("timer_refresh_tokens: not implemented yet (past_due=%s)", past_due)


def schedule_syncs(*, past_due: bool) -> None:
    """Queue incremental syncs that are due (not implemented yet: logs and returns)."""
    log.warning("timer_schedule_sync: not implemented yet (past_due=%s)", past_due)
