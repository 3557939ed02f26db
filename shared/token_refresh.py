"""timer_refresh_tokens: refresh tokens that expire soon or whose refresh token ages, in SKIP LOCKED batches."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared.config import Settings
from shared.crypto import Keyring
from shared.errors import JobError, ProviderError, ReauthRequired, RequestError
from shared.providers import PROVIDERS
from shared.store import due
from shared.sync.tokens import refresh_under_lock

BATCH_SIZE = 10
log = logging.getLogger(__name__)


@dataclass
class RefreshRun:
    """Counts of one run (never tokens)."""

    refreshed: int = 0
    skipped: int = 0
    failed: int = 0
    needs_reauth: int = 0
    out_of_time: bool = False


def refresh_due_tokens(database: Any, settings: Settings, keyring: Keyring, *, clock: Callable[[], datetime],
                       monotonic: Callable[[], float], batch_size: int = BATCH_SIZE) -> RefreshRun:
    """Refresh every due connection until none is left or the time budget is spent.

    Each batch is locked with SKIP LOCKED, so overlapping runs (or a download job refreshing the
    same row) never refresh one token twice; one connection's failure never stops the others.
    """
    run = RefreshRun()
    started = monotonic()
    horizon = timedelta(minutes=settings.refresh_horizon_minutes)
    max_idle = timedelta(days=settings.refresh_token_max_idle_days)
    attempted: set = set()
    while True:
        if monotonic() - started >= settings.timer_time_budget_seconds:
            run.out_of_time = True
            break
        with database.transaction() as cursor:
            now = clock()
            batch = [row for row in due.lock_refresh_batch(cursor, now=now, horizon=horizon, max_idle=max_idle,
                                                           limit=batch_size) if row[0] not in attempted]
            for connection_id, provider_name, idle_only in batch:
                attempted.add(connection_id)
                _refresh_one(cursor, settings, keyring, run, connection_id, provider_name, idle_only, now, horizon)
        if not batch:
            break
    log.info("token refresh run: %d refreshed, %d skipped, %d failed, %d need re-authorisation%s",
             run.refreshed, run.skipped, run.failed, run.needs_reauth,
             " (time budget reached; the rest is left to the next run)" if run.out_of_time else "")
    return run


def _refresh_one(cursor: Any, settings: Settings, keyring: Keyring, run: RefreshRun, connection_id: Any,
                 provider_name: str, idle_only: bool, now: datetime, horizon: timedelta) -> None:
    provider = PROVIDERS[provider_name]
    cursor.execute("SAVEPOINT refresh_one")
    try:
        refresh_under_lock(cursor, keyring, settings, provider, connection_id, now=now, horizon=horizon,
                           force=idle_only)
        run.refreshed += 1
    except ReauthRequired:
        run.needs_reauth += 1  # the row is marked needs_reauth inside the savepoint
    except (JobError, RequestError) as error:
        cursor.execute("ROLLBACK TO SAVEPOINT refresh_one")
        run.skipped += 1
        log.info("token refresh skipped connection %s: %s", connection_id, error)
    except ProviderError as error:
        cursor.execute("ROLLBACK TO SAVEPOINT refresh_one")
        failures = due.record_refresh_failure(
            cursor, connection_id, now=now,
            message=f"{provider.display_name} could not be reached to refresh access; retrying later")
        run.failed += 1
        log.warning("token refresh failed for connection %s (%s, failure %d)", connection_id,
                    type(error).__name__, failures)
    cursor.execute("RELEASE SAVEPOINT refresh_one")
