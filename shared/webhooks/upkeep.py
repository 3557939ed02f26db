"""The daily webhook upkeep: repair expiring subscriptions of each provider, forget old replay digests."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from shared.config import Settings
from shared.errors import ProviderError, RequestError
from shared.store import webhooks as webhook_store

# Google keeps undelivered notifications up to 7 days; a digest older than that cannot come again.
SEEN_RETENTION = timedelta(days=8)
log = logging.getLogger(__name__)


def maintain(database: Any, settings: Settings, *, now: datetime) -> dict[str, str]:
    """Repair each provider's renewing registrations; return each provider's result in plain words."""
    from shared.providers import PROVIDERS

    results = {}
    for provider in PROVIDERS.values():
        if provider.webhook is None or provider.webhook.registrar is None:
            continue
        registrar = provider.webhook.registrar()
        if not registrar.renews:
            continue
        try:
            report = registrar.repair(settings, None, now)
        except RequestError as error:
            results[provider.name] = f"skipped: {error}"
        except ProviderError as error:
            results[provider.name] = f"failed: {type(error).__name__} (HTTP {error.status})"
        else:
            results[provider.name] = (f"{len(report.created)} created, {len(report.renewed)} renewed, "
                                      f"{report.kept} kept")
        log.info("webhook subscriptions of %s: %s", provider.name, results[provider.name])
    with database.transaction() as cursor:
        forgotten = webhook_store.forget_seen_before(cursor, now - SEEN_RETENTION)
    log.info("webhook upkeep: %d old replay digests forgotten", forgotten)
    return results
