"""timer_schedule_sync: queue an incremental DownloadJob for each connection that is due, spread out.

While a provider's webhooks are healthy its connections get a daily reconciliation instead
(`shared/sync/poll_policy.py`).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from azure.core.exceptions import AzureError

from shared.config import Settings
from shared.jobs import DownloadJob
from shared.store import due
from shared.store.webhooks import last_notification_at
from shared.sync.poll_policy import poll_plan, webhooks_healthy

BATCH_SIZE = 200
# Queue sends are one HTTP round trip each: send a batch's messages side by side.
SEND_CONCURRENCY = 16
PENDING_GRACE = timedelta(hours=1)
log = logging.getLogger(__name__)


@dataclass
class ScheduleRun:
    """Counts of one run."""

    queued: int = 0
    failed: int = 0
    deferred: int = 0
    out_of_time: bool = False


def schedule_due_syncs(database: Any, settings: Settings, *, enqueue: Callable[[DownloadJob, int], Any],
                       clock: Callable[[], datetime], monotonic: Callable[[], float],
                       rng: random.Random | None = None, batch_size: int = BATCH_SIZE) -> ScheduleRun:
    """Queue one job per due connection (none while one is pending), each delayed by a random part
    of its provider's interval so providers and the app are not hit all at once."""
    rng = rng or random.Random()
    run = ScheduleRun()
    started = monotonic()
    healthy: dict[str, bool] = {}
    while True:
        if monotonic() - started >= settings.timer_time_budget_seconds:
            run.out_of_time = True
            break
        with database.transaction() as cursor:
            now = clock()
            batch = due.lock_sync_batch(cursor, now=now, limit=batch_size)
            plans, deferred = [], {}
            for connection_id, provider, last_polled_at in batch:
                if provider not in healthy:
                    healthy[provider] = webhooks_healthy(last_notification_at(cursor, provider), now, settings)
                plan = poll_plan(provider, healthy[provider], last_polled_at, now, settings)
                if plan.reason is None:
                    deferred.setdefault(plan.interval, []).append(connection_id)
                    continue
                plans.append((DownloadJob(connection_id, provider, plan.reason),
                              int(rng.uniform(0, plan.interval.total_seconds())), plan.interval))
            scheduled = []
            with ThreadPoolExecutor(max_workers=SEND_CONCURRENCY) as pool:
                sends = [(plan, pool.submit(enqueue, plan[0], plan[1])) for plan in plans]
                for (job, delay, interval), sent in sends:
                    try:
                        sent.result()
                    except AzureError as error:
                        run.failed += 1  # the connection stays due: the next run queues it
                        log.warning("sync for connection %s not queued (%s)", job.connection_id,
                                    type(error).__name__)
                        continue
                    scheduled.append((job.connection_id, now + timedelta(seconds=delay) + PENDING_GRACE,
                                      now + interval))
            run.queued += len(scheduled)
            due.mark_syncs_scheduled(cursor, scheduled, now=now)
            for interval, ids in deferred.items():
                due.defer_syncs(cursor, ids, next_sync_at=now + interval, now=now)
                run.deferred += len(ids)
        if len(batch) < batch_size:
            break
    log.info("sync scheduling run: %d jobs queued, %d not queued, %d left to webhooks%s", run.queued, run.failed,
             run.deferred,
             " (time budget reached; the rest is left to the next run)" if run.out_of_time else "")
    return run
