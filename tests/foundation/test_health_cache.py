"""/api/health answers from a short cache, and the queue sender keeps one credential."""

from __future__ import annotations

from dataclasses import replace

from shared.config import get_settings
from shared.health import CachedHealth, HealthReport
from shared.queues import QueueSender


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_reports_are_reused_for_the_cache_lifetime():
    clock, probes = _Clock(), []

    def probe() -> HealthReport:
        probes.append(clock.now)
        return HealthReport(postgres=True, queues=len(probes) == 1)

    cache = CachedHealth(probe, ttl=5, monotonic=clock)
    first = cache.report()
    clock.now += 4.9
    assert cache.report() is first
    clock.now += 0.1
    assert cache.report().queues is False
    assert probes == [100.0, 105.0]


def test_queue_clients_share_one_identity_credential():
    settings = replace(get_settings(), storage_connection=None,
                       storage_queue_service_uri="https://account.queue.core.windows.net")
    sender = QueueSender(settings)
    first = sender._make_client("download-oura")
    second = sender._make_client("download-fitbit", retry_total=0)
    assert first.credential is second.credential is sender.credential()
