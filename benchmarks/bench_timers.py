"""Timer selection queries and scheduling at 10,000 and 100,000 connections.

Seeds a throwaway database on the test PostgreSQL (`devtools/stack.sh start test`) with synthetic
connections (a realistic spread of expiries and due times; 5% not active), then reports for each size:
the refresh and scheduling selection queries (median of runs, with EXPLAIN ANALYZE showing the index
used), and the time `schedule_due_syncs` takes to schedule one run's jobs (queue sends counted, not
made: the queue's own rate is measured separately against Azurite).

Run: `eval "$(devtools/stack.sh env test)" && .venv/bin/python benchmarks/bench_timers.py`
"""

from __future__ import annotations

import base64
import os
import statistics
import sys
import time
import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg2
from psycopg2.extensions import make_dsn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TOKEN_ENCRYPTION_KEYS", "bench:" + base64.b64encode(bytes(32)).decode())
for name, value in {"PERSONICLE_OIDC_ISSUER": "http://127.0.0.1:7080/oidc", "PERSONICLE_OIDC_AUDIENCE": "x",
                    "PUBLIC_BASE_URL": "http://127.0.0.1:7071", "RETURN_TO_ALLOWLIST": "http://127.0.0.1"}.items():
    os.environ.setdefault(name, value)

from shared.config import load_settings  # noqa: E402
from shared.db import Database  # noqa: E402
from shared.migrate import apply_migrations  # noqa: E402
from shared.store import due  # noqa: E402
from shared.sync_scheduler import schedule_due_syncs  # noqa: E402

SEED = """
INSERT INTO connections (id, user_id, provider, status, scopes, provider_user_id, access_token_enc,
                         refresh_token_enc, token_key_id, access_token_expires_at, tokens_refreshed_at,
                         next_sync_at, connected_at)
SELECT md5(i::text || 'c')::uuid, 'user-' || i, (ARRAY['fitbit','oura','google_fit'])[1 + i %% 3],
       CASE WHEN i %% 20 = 0 THEN 'needs_reauth' ELSE 'active' END, '{}', 'acct-' || i,
       '\\x00'::bytea, '\\x00'::bytea, 'bench',
       now() + make_interval(secs => ((i * 7919) %% 86400)::int),
       now() - make_interval(days => ((i * 31) %% 200)::int),
       now() + make_interval(secs => (((i * 104729) %% 7200) - 3600)::int),
       now() - interval '30 days'
FROM generate_series(%s::bigint, %s::bigint) AS i
"""


def _timed(function, runs=7):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _explain(dsn, sql, params):
    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def _queue_rate(settings, count=1000) -> None:
    """Print the rate of our queue sender against Azurite, one thread and as the scheduler sends."""
    from concurrent.futures import ThreadPoolExecutor

    from shared.queues import QueueSender
    from shared.sync_scheduler import SEND_CONCURRENCY

    sender = QueueSender(settings)
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    sender.send(queue, "warm-up")
    for threads in (1, SEND_CONCURRENCY):
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(lambda _: sender.send(queue, '{"version":1}', delay_seconds=60), range(count)))
        elapsed = time.perf_counter() - started
        print(f"queue sends to Azurite, {threads} thread(s): {count / elapsed:,.0f} messages/s")
    sender._client(queue).delete_queue()


def main() -> None:
    """Seed, measure, print."""
    base = load_settings()
    name = f"bench_timers_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(base.postgres_dsn)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    settings = replace(base, postgres_dsn=make_dsn(base.postgres_dsn, dbname=name))
    try:
        apply_migrations(settings)
        database = Database(settings)
        now = datetime.now(timezone.utc)
        seeded = 0
        print("| connections | refresh selection (batch 10) | schedule selection (batch 200) |"
              " one scheduling run | jobs in that run |")
        print("| --- | --- | --- | --- | --- |")
        plans = {}
        for size in (10_000, 100_000):
            with database.transaction() as cursor:
                cursor.execute(SEED, (seeded + 1, size))
                cursor.execute("ANALYZE connections")
            seeded = size

            def refresh_select():
                with database.transaction() as cursor:
                    due.lock_refresh_batch(cursor, now=now, horizon=timedelta(minutes=30),
                                           max_idle=timedelta(days=150), limit=10)

            def schedule_select():
                with database.transaction() as cursor:
                    due.lock_sync_batch(cursor, now=now, limit=200)

            refresh_ms, schedule_ms = _timed(refresh_select), _timed(schedule_select)
            sent = []
            started = time.perf_counter()
            schedule_due_syncs(database, settings, enqueue=lambda job, delay: sent.append(delay),
                               clock=lambda: now, monotonic=time.monotonic)
            run_ms = (time.perf_counter() - started) * 1000
            with database.transaction() as cursor:  # make the same connections due again for the next size
                cursor.execute("UPDATE connections SET sync_pending_until = NULL,"
                               " next_sync_at = now() - interval '1 minute' WHERE next_sync_at > now() + interval '30 minutes'")
            print(f"| {size:,} | {refresh_ms:.2f} ms | {schedule_ms:.2f} ms | {run_ms:,.0f} ms | {len(sent):,} |")
            plans[size] = (
                _explain(settings.postgres_dsn, "SELECT id FROM connections WHERE status = 'active'"
                         " AND refresh_token_enc IS NOT NULL AND (next_refresh_attempt_at IS NULL OR"
                         " next_refresh_attempt_at <= %(now)s) AND (access_token_expires_at < %(soon)s OR"
                         " tokens_refreshed_at < %(stale)s) ORDER BY access_token_expires_at LIMIT 10",
                         {"now": now, "soon": now + timedelta(minutes=30), "stale": now - timedelta(days=150)}),
                _explain(settings.postgres_dsn, "SELECT id FROM connections WHERE status = 'active' AND"
                         " next_sync_at <= %(now)s AND (sync_pending_until IS NULL OR sync_pending_until <= %(now)s)"
                         " ORDER BY next_sync_at LIMIT 200", {"now": now}))
        for size, (refresh_plan, schedule_plan) in plans.items():
            print(f"\nPlans at {size:,} connections\nrefresh selection:\n  " + "\n  ".join(refresh_plan))
            print("schedule selection:\n  " + "\n  ".join(schedule_plan))
        database.close()
        _queue_rate(settings)
    finally:
        admin.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
