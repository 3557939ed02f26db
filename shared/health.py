"""Report whether the app's dependencies answer, without revealing anything about them."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

# A burst of probes (load balancers, monitors) reaches PostgreSQL and the queues once per this many seconds.
CACHE_SECONDS = 5.0

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


def probe_health() -> HealthReport:
    """Probe PostgreSQL and the storage queues."""
    return HealthReport(postgres=_postgres_up(), queues=_queues_up())


class CachedHealth:
    """Answer the last report while it is younger than `ttl` seconds; one probe at a time."""

    def __init__(self, probe: Callable[[], HealthReport], *, ttl: float = CACHE_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._probe = probe
        self._ttl = ttl
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._report: HealthReport | None = None
        self._taken_at = 0.0

    def report(self) -> HealthReport:
        """Return a report no older than `ttl` seconds, probing when the cached one is stale."""
        with self._lock:
            if self._report is None or self._monotonic() - self._taken_at >= self._ttl:
                self._report = self._probe()
                self._taken_at = self._monotonic()
            return self._report


_cached = CachedHealth(probe_health)


def check_health() -> HealthReport:
    """Return the health report, probing at most once per CACHE_SECONDS."""
    return _cached.report()
