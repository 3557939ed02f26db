"""100 users backfilling at once against a provider's app-wide rate limit: the shared budget must hold it.

The sandbox runs in-process with the vendor's app-wide limits switched on at the real figures (WHOOP
100 calls a minute and 10,000 a day, answering 429 with its headers; Withings 120 a minute, answering
status 601), for the sandbox's one OAuth client, all users together. 100 connections (100 Personicle
users linked to sandbox accounts) each get a backfill job at the same moment; `--workers` threads
take jobs from an in-memory queue that honours each job's delay, as Functions instances would take
them from the storage queue, and run them through `build_engine` with a throwaway PostgreSQL
database holding the shared budget (`devtools/stack.sh start test` first; see Run).

Real minutes would make a run last an hour, so both sides scale their windows by `--scale` (0.1: a
6-second "minute" and a 2.4-hour "day"): the sandbox's `rate_limit_window_scale` knob, and the app's
`<PREFIX>_REQUEST_BUDGETS` setting with the same scaled periods (90/6 for WHOOP's 90/60). The engine's
clock runs in real time from a fixed day, so the data is the same in every run.

Printed per provider: API calls, budget waits (jobs continued later because the budget was spent),
calls the sandbox refused (429 or 601: must be 0), jobs run, and wall time against the least time
the vendor's limits allow for that many calls (`least s`).

Run (on the test stack, not while a test run uses it): `devtools/stack.sh start test && eval "$(devtools/stack.sh
env test)" && .venv/bin/python benchmarks/bench_app_budget.py [--providers whoop withings] [--users 100] [--days 7]
[--scale 0.1] [--workers 8]`, then `devtools/stack.sh stop test`
"""

from __future__ import annotations

import argparse
import base64
import heapq
import math
import os
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared.clock import UTC  # noqa: E402

NOW = datetime(2026, 10, 1, tzinfo=UTC)
# The vendors' own limits (docs/providers/whoop.md 6, withings.md 6) and the budgets the app keeps under them.
VENDOR_LIMITS = {"whoop": ((100, 60.0), (10_000, 86_400.0)), "withings": ((120, 60.0),)}


@dataclass
class DelayedQueue:
    """Jobs that become visible after their delay, in real time; `join` waits until none is queued or running."""

    ready: list = field(default_factory=list)
    running: int = 0
    lock: threading.Condition = field(default_factory=threading.Condition)
    order: int = 0

    def put(self, job: Any, delay: float) -> None:
        with self.lock:
            self.order += 1
            heapq.heappush(self.ready, (time.monotonic() + delay, self.order, job))
            self.lock.notify_all()

    def take(self) -> Any | None:
        """Return the next visible job, waiting for one; None once nothing is queued or running."""
        with self.lock:
            while True:
                if not self.ready and not self.running:
                    self.lock.notify_all()
                    return None
                if self.ready and self.ready[0][0] <= time.monotonic():
                    self.running += 1
                    return heapq.heappop(self.ready)[2]
                self.lock.wait(timeout=0.05 if self.ready else 0.5)

    def done(self) -> None:
        with self.lock:
            self.running -= 1
            self.lock.notify_all()


def _settings_for(sandbox_url: str, scale: float, days: int) -> dict[str, str]:
    """Return the app settings of the run: sandbox URLs and clients, scaled budgets, a local sink."""
    values = {"AzureWebJobsStorage": "UseDevelopmentStorage=true", "SINK_KIND": "jsonl",
              "TOKEN_ENCRYPTION_KEYS": "bench:" + base64.b64encode(os.urandom(32)).decode(),
              "PERSONICLE_OIDC_ISSUER": f"{sandbox_url}/oidc", "PERSONICLE_OIDC_AUDIENCE": "personicle-connect",
              "PUBLIC_BASE_URL": "http://127.0.0.1:7071", "RETURN_TO_ALLOWLIST": "http://127.0.0.1:7080/demo",
              "LOCAL_SINK_DIR": tempfile.mkdtemp(prefix="bench-budget-sink-"), "OAUTHLIB_INSECURE_TRANSPORT": "1",
              "SYNC_BACKFILL_DAYS": str(days), "SYNC_RECENT_DAYS": str(days)}
    for provider, token_path, api_path in (("whoop", "whoop/oauth/oauth2/token", "whoop/developer"),
                                           ("withings", "withings/v2/oauth2", "withings")):
        prefix = provider.upper()
        values.update({f"{prefix}_CLIENT_ID": f"sandbox-{provider}-client",
                       f"{prefix}_CLIENT_SECRET": f"sandbox-{provider}-secret",
                       f"{prefix}_TOKEN_URL": f"{sandbox_url}/{token_path}",
                       f"{prefix}_API_URL": f"{sandbox_url}/{api_path}"})
    from shared.providers import PROVIDERS

    for provider in VENDOR_LIMITS:
        scaled = ",".join(f"{budget.requests}/{budget.seconds * scale:g}" for budget in PROVIDERS[provider].request_budgets)
        values[f"{provider.upper()}_REQUEST_BUDGETS"] = scaled
    return values


def _connect(provider: str, users: int, sandbox_url: str) -> list[uuid.UUID]:
    """Link `users` Personicle users to sandbox accounts (tokens from the sandbox's OAuth flow)."""
    from shared.crypto import get_keyring
    from shared.db import get_database
    from shared.providers import PROVIDERS
    from shared.providers.base import TokenSet
    from shared.store.connections import save_connected
    from tests.sandbox.flows import whoop_tokens, withings_tokens

    ids = []
    for index in range(users):
        answer = (whoop_tokens if provider == "whoop" else withings_tokens)(sandbox_url, "bob")
        scopes = tuple(answer["scope"].replace(",", " ").split())
        tokens = TokenSet(answer["access_token"], answer["refresh_token"], int(answer["expires_in"]), scopes)
        with get_database().transaction() as cursor:
            connection = save_connected(cursor, get_keyring(), user_id=f"bench-{index:03d}", provider=provider,
                                        provider_user_id=f"bob-{index:03d}", scopes=scopes, tokens=tokens,
                                        default_expires_in=PROVIDERS[provider].default_expires_in, now=NOW)
        ids.append(connection.id)
    return ids


def _sandbox_refusals(sandbox: Any, provider: str) -> int:
    from devtools.sandbox.providers.whoop.knobs import whoop_state
    from devtools.sandbox.providers.withings.knobs import withings_state

    state = whoop_state(sandbox.state.extras) if provider == "whoop" else withings_state(sandbox.state.extras)
    return state.limits.refused


def _limit_sandbox(sandbox: Any, provider: str, scale: float) -> None:
    from devtools.sandbox.providers.whoop.knobs import whoop_state
    from devtools.sandbox.providers.withings.knobs import withings_state

    if provider == "whoop":
        whoop_state(sandbox.state.extras).configure(now=NOW.isoformat(), rate_limit_per_minute=100,
                                                    rate_limit_per_day=10_000, rate_limit_window_scale=scale)
    else:
        withings_state(sandbox.state.extras).configure(now=NOW.isoformat(), rate_limit_per_minute=120,
                                                       rate_limit_window_scale=scale)


def run_provider(sandbox: Any, provider: str, users: int, scale: float, workers: int) -> dict[str, float]:
    """Backfill `users` connections of `provider` at once; return the figures."""
    from shared.config import get_settings
    from shared.crypto import get_keyring
    from shared.db import get_database
    from shared.jobs import DownloadJob
    from shared.sink.factory import create_sink
    from shared.sync.assemble import build_engine

    connections = _connect(provider, users, sandbox.url)
    _limit_sandbox(sandbox, provider, scale)
    settings = get_settings()
    queue = DelayedQueue()
    started = time.monotonic()
    engine = build_engine(database=get_database(), settings=settings, keyring=get_keyring(),
                          sink=create_sink(settings), enqueue=queue.put,
                          clock=lambda: NOW + timedelta(seconds=time.monotonic() - started), monotonic=time.monotonic)
    figures = {"calls": 0, "waits": 0, "jobs": 0, "records": 0, "deferred": 0}
    lock = threading.Lock()

    def work() -> None:
        while (job := queue.take()) is not None:
            try:
                outcome = engine.run(job)
                with lock:
                    figures["jobs"] += 1
                    figures["calls"] += outcome.api_calls
                    figures["records"] += outcome.records_sent
                    figures["waits"] += bool(outcome.continuation and outcome.continuation_delay
                                             and not outcome.deferred)
                    figures["deferred"] += outcome.deferred
            finally:
                queue.done()

    for connection_id in connections:
        queue.put(DownloadJob(connection_id, provider, "backfill"), 0)
    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    figures["seconds"] = time.monotonic() - started
    figures["refused"] = _sandbox_refusals(sandbox, provider)
    # The vendor's sliding windows let `limit` calls through per window: the last of N calls can go no
    # sooner than (ceil(N / limit) - 1) windows after the first.
    figures["least_seconds"] = max((math.ceil(figures["calls"] / limit) - 1) * seconds * scale
                                   for limit, seconds in VENDOR_LIMITS[provider])
    return figures


def main() -> None:
    """Parse the arguments, run each provider, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", nargs="+", default=["whoop", "withings"], choices=sorted(VENDOR_LIMITS))
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--days", type=int, default=7, help="history each backfill reads")
    parser.add_argument("--scale", type=float, default=0.1, help="window scale of both the sandbox and the app")
    parser.add_argument("--workers", type=int, default=8)
    arguments = parser.parse_args()

    import psycopg2
    from psycopg2.extensions import make_dsn

    from devtools.sandbox import SandboxServer
    from tests.sandbox.flows import API_BASE

    sandbox = SandboxServer(port=0, api_base=API_BASE)
    sandbox.start()
    server_dsn, name = os.environ["POSTGRES_DSN"], f"bench_budget_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(server_dsn)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    os.environ.update(_settings_for(sandbox.url, arguments.scale, arguments.days))
    os.environ["POSTGRES_DSN"] = make_dsn(server_dsn, dbname=name)
    try:
        from shared.config import get_settings
        from shared.db import get_database
        from shared.migrate import apply_migrations

        apply_migrations(get_settings())
        print(f"{arguments.users} users backfilling {arguments.days} days at once, {arguments.workers} workers, "
              f"windows scaled by {arguments.scale:g}")
        print(f"{'provider':9} {'budgets':>18} {'calls':>6} {'records':>7} {'jobs':>5} {'waits':>5} "
              f"{'refused':>7} {'wall s':>7} {'least s':>7}")
        for provider in arguments.providers:
            figures = run_provider(sandbox, provider, arguments.users, arguments.scale, arguments.workers)
            budgets = os.environ[f"{provider.upper()}_REQUEST_BUDGETS"]
            print(f"{provider:9} {budgets:>18} {figures['calls']:6d} {figures['records']:7d} {figures['jobs']:5d} "
                  f"{figures['waits']:5d} {figures['refused']:7d} {figures['seconds']:7.1f} "
                  f"{figures['least_seconds']:7.1f}")
        get_database().close()
    finally:
        sandbox.stop()
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
