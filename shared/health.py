"""Report whether the app's dependencies answer, without revealing anything about them."""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HealthReport:
    """Reachability of each dependency."""

    postgres: bool
    queues: bool

    @property
    def healthy(self) -> bool:
        """True when every dependency answered."""
        return self.postgres and self.queues

    def as_json(self) -> dict:
        """Return the public answer: `up`/`down` per dependency, nothing else."""
        down = [name for name, up in (("postgres", self.postgres), ("queues", self.queues)) if not up]
        return {
            "status": "ok" if not down else "unavailable",
            "dependencies": {"postgres": "down" if "postgres" in down else "up",
                             "queues": "down" if "queues" in down else "up"},
            "down": down,
        }


def _postgres_up() -> bool:
    from shared.db import get_database

    try:
        with get_database().transaction() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 3000")
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as error:  # noqa: BLE001 - any failure means "down"; the reason is logged
        log.warning("health: postgres unreachable (%s)", type(error).__name__)
        return False


def _queues_up() -> bool:
    from shared.queues import get_queue_sender

    try:
        get_queue_sender().ping()
        return True
    except Exception as error:  # noqa: BLE001 - any failure means "down"; the reason is logged
        log.warning("health: queue service unreachable (%s)", type(error).__name__)
        return False


def check_health() -> HealthReport:
    """Probe PostgreSQL and the storage queues."""
    return HealthReport(postgres=_postgres_up(), queues=_queues_up())
