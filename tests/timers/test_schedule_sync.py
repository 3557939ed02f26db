"""timer_schedule_sync against real PostgreSQL."""

import random
import time
from dataclasses import replace

from shared.clock import utc_now
from shared.config import get_settings
from shared.sync_scheduler import schedule_due_syncs
from tests.timers.conftest import PAIRS


def _schedule(database, queued, **kwargs):
    options = {"clock": utc_now, "monotonic": time.monotonic, "rng": random.Random(7), **kwargs}
    settings = options.pop("settings", get_settings())
    return schedule_due_syncs(database, settings, enqueue=lambda job, delay: queued.append((job, delay)), **options)


def test_one_job_per_due_connection_and_none_for_inactive_ones(sandbox, database, connections):
    with database.transaction() as cursor:
        cursor.execute("UPDATE connections SET status = 'needs_reauth' WHERE id = %s",
                       (str(connections[("user-alice", "oura")]),))
        cursor.execute("UPDATE connections SET status = 'revoked' WHERE id = %s",
                       (str(connections[("user-bob", "fitbit")]),))
    queued = []
    run = _schedule(database, queued, batch_size=4)
    assert run.queued == len(PAIRS) - 2
    ids = [job.connection_id for job, _ in queued]
    assert len(ids) == len(set(ids))
    assert connections[("user-alice", "oura")] not in ids and connections[("user-bob", "fitbit")] not in ids
    assert all(job.reason == "incremental" for job, _ in queued)
    again = []
    assert _schedule(database, again).queued == 0  # pending and not due again


def test_jobs_are_spread_over_the_interval(sandbox, database, connections):
    settings = replace(get_settings(), sync_interval_minutes=60, sync_interval_overrides=(("oura", 120),))
    queued = []
    _schedule(database, queued, settings=settings)
    delays = {job.provider: [] for job, _ in queued}
    for job, delay in queued:
        delays[job.provider].append(delay)
    assert all(0 <= d < 3600 for d in delays["fitbit"] + delays["google_fit"])
    assert all(0 <= d < 7200 for d in delays["oura"])
    assert len(set(d for _, d in queued)) == len(queued)  # not all at once


def test_a_connection_is_due_again_after_its_interval(sandbox, database, connections):
    _schedule(database, [])
    with database.transaction() as cursor:
        cursor.execute("UPDATE connections SET next_sync_at = now() - interval '1 second',"
                       " sync_pending_until = NULL WHERE id = %s", (str(connections[("user-carol", "oura")]),))
    queued = []
    assert _schedule(database, queued).queued == 1
    assert queued[0][0].connection_id == connections[("user-carol", "oura")]


def test_healthy_webhooks_turn_polling_into_a_daily_reconciliation(sandbox, database, connections):
    oura = {connection_id for (_, provider), connection_id in connections.items() if provider == "oura"}
    with database.transaction() as cursor:
        cursor.execute("INSERT INTO webhook_health (provider, last_notification_at) VALUES ('oura', now())"
                       " ON CONFLICT (provider) DO UPDATE SET last_notification_at = now()")
    queued = []
    _schedule(database, queued)
    reasons = {job.connection_id: job.reason for job, _ in queued}
    assert {reasons[i] for i in oura} == {"reconcile"}
    assert {reason for i, reason in reasons.items() if i not in oura} == {"incremental"}

    def due_again():
        with database.transaction() as cursor:
            cursor.execute("UPDATE connections SET next_sync_at = now() - interval '1 second', sync_pending_until = NULL")

    due_again()
    again = []
    run = _schedule(database, again)
    assert run.deferred == len(oura) and not oura & {job.connection_id for job, _ in again}
    assert all(job.reason == "incremental" for job, _ in again) and len(again) == len(PAIRS) - len(oura)
    with database.transaction() as cursor:  # the webhooks fall silent: polling resumes
        cursor.execute("UPDATE webhook_health SET last_notification_at = now() - interval '1 day'")
    due_again()
    resumed = []
    _schedule(database, resumed)
    assert {job.reason for job, _ in resumed if job.connection_id in oura} == {"incremental"}
