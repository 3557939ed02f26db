"""Peak memory of a Fitbit backfill through the real engine: it must stream, not load everything.

Each run is a fresh process: the sandbox in-process (Google Health imitation, data ending at a fixed
time), a throwaway database on the test PostgreSQL (`devtools/stack.sh start test`), a connection with
sandbox tokens, then `SyncEngine.run` of a backfill of N days into the local JSONL sink. It prints
records, API calls, seconds and the process's peak resident memory for each N; a streaming engine's
peak stays flat as N grows.

Run: `eval "$(devtools/stack.sh env test)" && .venv/bin/python benchmarks/bench_backfill_memory.py [days ...]`
"""

from __future__ import annotations

import base64
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 10, 1, tzinfo=timezone.utc)


def child(days: int, user: str) -> None:
    """Run one backfill and print its figures."""
    sys.path.insert(0, str(ROOT))
    from devtools.sandbox import SandboxServer
    from devtools.sandbox.providers.fitbit.knobs import health_state
    from tests.sandbox.flows import API_BASE, google_tokens

    sandbox = SandboxServer(port=0, api_base=API_BASE)
    sandbox.start()
    health_state(sandbox.state.extras).configure(now=NOW.isoformat())
    import psycopg2
    from psycopg2.extensions import make_dsn

    server_dsn = os.environ["POSTGRES_DSN"]
    name = f"bench_memory_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(server_dsn)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    sink = tempfile.mkdtemp(prefix="bench-sink-")
    os.environ.update({
        "POSTGRES_DSN": make_dsn(server_dsn, dbname=name), "AzureWebJobsStorage": "UseDevelopmentStorage=true",
        "TOKEN_ENCRYPTION_KEYS": "bench:" + base64.b64encode(os.urandom(32)).decode(),
        "PERSONICLE_OIDC_ISSUER": f"{sandbox.url}/oidc", "PERSONICLE_OIDC_AUDIENCE": "personicle-connect",
        "PUBLIC_BASE_URL": "http://127.0.0.1:7071", "RETURN_TO_ALLOWLIST": "http://127.0.0.1:7080/demo",
        "FITBIT_TOKEN_URL": f"{sandbox.url}/google/token", "FITBIT_API_URL": f"{sandbox.url}/googlehealth",
        "FITBIT_CLIENT_ID": "sandbox-fitbit-client", "FITBIT_CLIENT_SECRET": "sandbox-fitbit-secret",
        "SINK_KIND": "jsonl", "LOCAL_SINK_DIR": sink, "SYNC_BACKFILL_DAYS": str(days),
        "SYNC_TIME_BUDGET_SECONDS": "100000", "OAUTHLIB_INSECURE_TRANSPORT": "1"})
    try:
        from shared.config import get_settings
        from shared.crypto import get_keyring
        from shared.db import get_database
        from shared.jobs import DownloadJob
        from shared.migrate import apply_migrations
        from shared.providers.base import TokenSet
        from shared.providers.fitbit.provider import SCOPES
        from shared.sink.factory import create_sink
        from shared.store.connections import save_connected
        from shared.sync.assemble import build_engine

        settings = get_settings()
        apply_migrations(settings)
        answer = google_tokens(sandbox.url, user, scope=" ".join(SCOPES))
        tokens = TokenSet(answer["access_token"], answer.get("refresh_token"), answer.get("expires_in"),
                          tuple(answer["scope"].split()))
        with get_database().transaction() as cursor:
            connection = save_connected(cursor, get_keyring(), user_id=user, provider="fitbit",
                                        provider_user_id=user, scopes=tokens.scopes, tokens=tokens,
                                        default_expires_in=3600, now=datetime.now(timezone.utc))
        engine = build_engine(database=get_database(), settings=settings, keyring=get_keyring(),
                              sink=create_sink(settings), enqueue=lambda job, delay: None,
                              clock=lambda: NOW, monotonic=time.monotonic)
        started = time.perf_counter()
        outcome = engine.run(DownloadJob(connection.id, "fitbit", "backfill"))
        seconds = time.perf_counter() - started
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"| {days} | {outcome.records_sent:,} | {outcome.api_calls:,} | {seconds:,.0f} s | {peak_mib:,.0f} MiB |")
        get_database().close()
    finally:
        sandbox.stop()
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def main(days_list: list[int]) -> None:
    """Run each backfill in its own process."""
    print("Fitbit backfill of user bob (per-minute heart rate) through the engine into the JSONL sink")
    print("| days | records (packets and events) | API calls | time | peak RSS |")
    print("| --- | --- | --- | --- | --- |")
    for days in days_list:
        subprocess.run([sys.executable, __file__, "--child", str(days)], check=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), "bob")
    else:
        main([int(arg) for arg in sys.argv[1:]] or [7, 60, 365])
