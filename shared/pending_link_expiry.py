"""timer_expire_pending_links: revoke the grants of pending links nobody confirmed, and delete them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.config import Settings
from shared.crypto import Keyring
from shared.link_confirm import revoke_link_grant
from shared.providers import PROVIDERS
from shared.store import connections as connection_store
from shared.store import pending_links

BATCH_SIZE = 20
log = logging.getLogger(__name__)


@dataclass
class ExpiryRun:
    """Counts of one run (never tokens or codes)."""

    deleted: int = 0
    revoked: int = 0
    revocation_failed: int = 0
    kept_linked: int = 0
    out_of_time: bool = False


def expire_pending_links(database: Any, settings: Settings, keyring: Keyring, *, clock: Callable[[], datetime],
                         monotonic: Callable[[], float], batch_size: int = BATCH_SIZE) -> ExpiryRun:
    """Revoke and delete every expired pending link until none is left or the time budget is spent.

    Used links hold no tokens and are only deleted. The grant of an account that has a live connection
    (an unconfirmed reconnect) is not revoked: at Google that would cut the connection's grant too.
    The tokens are deleted even when the revocation fails (as a disconnect does); each batch is
    locked with SKIP LOCKED, so overlapping runs never revoke one grant twice.
    """
    run = ExpiryRun()
    started = monotonic()
    while True:
        if monotonic() - started >= settings.timer_time_budget_seconds:
            run.out_of_time = True
            break
        with database.transaction() as cursor:
            batch = pending_links.lock_expired(cursor, keyring, now=clock(), limit=batch_size)
            for link in batch:
                if link.tokens is not None:
                    _revoke(cursor, settings, run, link)
                pending_links.delete_link(cursor, link.link_hash)
                run.deleted += 1
        if len(batch) < batch_size:
            break
    log.info("pending link expiry run: %d deleted, %d grants revoked, %d revocations failed, %d kept (linked"
             " account)%s", run.deleted, run.revoked, run.revocation_failed, run.kept_linked,
             " (time budget reached; the rest is left to the next run)" if run.out_of_time else "")
    return run


def _revoke(cursor: Any, settings: Settings, run: ExpiryRun, link: pending_links.PendingLink) -> None:
    """Revoke the link's grant unless its account has a live connection; count the outcome."""
    if connection_store.account_owner(cursor, link.provider, link.provider_user_id) is not None:
        run.kept_linked += 1
        return
    provider = PROVIDERS.get(link.provider)
    if provider is not None and revoke_link_grant(provider, settings, link):
        run.revoked += 1
    else:
        run.revocation_failed += 1
