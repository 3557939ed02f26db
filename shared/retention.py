"""timer_purge_retention: delete revoked connections, used OAuth states and expired pending links when due."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from shared.config import Settings
from shared.store.retention import purge_expired_rows

# Used OAuth states answer `state_reused` for a day; expired pending links are kept as long.
SHORT_RETENTION = timedelta(days=1)
log = logging.getLogger(__name__)


def purge_retention(database: Any, settings: Settings, *, now: datetime) -> dict[str, int]:
    """Delete revoked connections older than REVOKED_RETENTION_DAYS and day-old states and links."""
    with database.transaction() as cursor:
        deleted = purge_expired_rows(cursor, revoked_before=now - timedelta(days=settings.revoked_retention_days),
                                     day_ago=now - SHORT_RETENTION)
    log.info("retention purge: %s", ", ".join(f"{count} {table}" for table, count in deleted.items()))
    return deleted
