"""timer_refresh_tokens: refresh tokens that expire soon or whose refresh token ages, one row per transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared.config import Settings
from shared.crypto import Keyring
from shared.errors import JobError, ProviderError, ReauthRequired, RequestError, TokensUnreadable
from shared.providers import PROVIDERS
from shared.store import due
from shared.sync.tokens import refresh_under_lock

log = logging.getLogger(__name__)


@dataclass
class RefreshRun:
    """Counts of one run (never tokens)."""

    refreshed: int = 0
    skipped: int = 0
    failed: int = 0
    needs_reauth: int = 0
    unreadable: int = 0
    out_of_time: bool = False


def refresh_due_tokens(database: Any, settings: Settings, keyring: Keyring, *, clock: Callable[[], datetime],
                       monotonic: Callable[[], float]) -> RefreshRun:
    """Refresh every due connection until none is left or the time budget is spent.

    Each row is locked with SKIP LOCKED and refreshed in its own transaction, so overlapping runs (or
    a download job refreshing the same row) never refresh one token twice, a single-use refresh token
    spent at the provider is committed before the next call, and one row's failure, whatever it is,
    never undoes or stops the others.
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
            rows = due.lock_refresh_batch(cursor, now=now, horizon=horizon, max_idle=max_idle, limit=1,
                                          exclude=attempted)
            for connection_id, provider_name, idle_only in rows:
                attempted.add(connection_id)
                _refresh_one(cursor, settings, keyring, run, connection_id, provider_name, idle_only, now, horizon)
        if not rows:
            break
    log.info("token refresh run: %d refreshed, %d skipped, %d failed, %d need re-authorisation, %d unreadable%s",
             run.refreshed, run.skipped, run.failed, run.needs_reauth, run.unreadable,
             " (time budget reached; the rest is left to the next run)" if run.out_of_time else "")
    return run


def _refresh_one(cursor: Any, settings: Settings, keyring: Keyring, run: RefreshRun, connection_id: Any,
                 provider_name: str, idle_only: bool, now: datetime, horizon: timedelta) -> None:
    """Refresh one locked row; every failure is contained in a savepoint and recorded on the row."""
    provider = PROVIDERS[provider_name]
    cursor.execute("SAVEPOINT refresh_one")
    try:
        refresh_under_lock(cursor, keyring, settings, provider, connection_id, now=now, horizon=horizon,
                           force=idle_only)
        run.refreshed += 1
    except TokensUnreadable:
        run.unreadable += 1  # the row is marked error inside the savepoint
    except ReauthRequired:
        run.needs_reauth += 1  # the row is marked needs_reauth inside the savepoint
    except (JobError, RequestError) as error:
        cursor.execute("ROLLBACK TO SAVEPOINT refresh_one")
        run.skipped += 1
        log.info("token refresh skipped connection %s: %s", connection_id, error)
    except ProviderError as error:
        _record_failure(cursor, connection_id, now, run, type(error).__name__,
                        f"{provider.display_name} could not be reached to refresh access; retrying later")
    except Exception as error:  # noqa: BLE001 - recorded on the row with backoff; the other rows go on
        _record_failure(cursor, connection_id, now, run, type(error).__name__,
                        f"refreshing {provider.display_name} access failed; retrying later")
        log.error("token refresh hit an unexpected %s for connection %s", type(error).__name__, connection_id)
    cursor.execute("RELEASE SAVEPOINT refresh_one")


def _record_failure(cursor: Any, connection_id: Any, now: datetime, run: RefreshRun, kind: str,
                    message: str) -> None:
    """Undo the row's partial work and back off before trying it again."""
    cursor.execute("ROLLBACK TO SAVEPOINT refresh_one")
    failures = due.record_refresh_failure(cursor, connection_id, now=now, message=message)
    run.failed += 1
    log.warning("token refresh failed for connection %s (%s, failure %d)", connection_id, kind, failures)
