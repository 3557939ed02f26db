"""Webhook path latency, and API calls per user per day with webhooks versus polling.

(a) For Oura, Fitbit (Google Health), WHOOP and Withings, the sandbox adds a day of data for bob and
sends the notifications (signed, or for Withings carrying the callback secret), as the providers
would, to the app served by the local host with its queue triggers
running (host.json: queue polling backs off to at most 10 s when idle). Reported per run: seconds
until the app acknowledged every notification, until the first record of that day was in the local
sink, and until every webhook job had finished (no pending window, empty queue).

(b) The sandbox's call counters give the data calls of one webhook day (every notified stream read
once over its narrowed window; for WHOOP also the reads that locate each notified record) and of
one incremental poll (every stream from its cursor). Per user
and day: polling makes 24 h / SYNC_INTERVAL_MINUTES polls; with webhooks, each phone sync notifies
once per changed data type (SYNCS_PER_DAY assumed, the notified streams re-read each time) plus one
daily reconciliation poll (the safety net). Subscription upkeep is app-level (Oura: one list call
and renewals once a day for all users), so it rounds to zero per user; Withings subscribes once per
connection, and WHOOP is registered by hand.

Runs on the test stack and ports, so not while a test run uses them:
    devtools/stack.sh start test && .venv/bin/python benchmarks/bench_webhooks.py --days 3; devtools/stack.sh stop test
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import functools
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests  # noqa: E402

from tests.conftest import API, HOST_PORT, ROOT, SANDBOX_PORT, _server_command  # noqa: E402

print = functools.partial(print, flush=True)  # noqa: A001 (progress shows while it runs)
SANDBOX = f"http://127.0.0.1:{SANDBOX_PORT}"
ADMIN_TOKEN = "sandbox-project-admin-token"
PUSHING = ("oura", "fitbit", "whoop", "withings")
SYNCS_PER_DAY = 6  # phone syncs that notify per day (an assumption: the app syncs on open and in the background)


def _day_records(sink: Path, day: str, before: dict[str, int]) -> int:
    lines = [json.loads(line) for path in sorted(sink.glob("*.jsonl"))
             for line in path.read_text().splitlines()[before.get(path.name, 0):]]
    found = 0
    for line in lines:
        body = line["body"]
        times = [p.get("timestamp") or p.get("start_time") for p in body.get("dataPoints", [])] or [body.get("start_time")]
        found += line["partition_key"] == "bob" and any(str(t).startswith(day) for t in times)
    return found


def _sink_size(sink: Path) -> dict[str, int]:
    return {path.name: sum(1 for _ in path.open()) for path in sink.glob("*.jsonl")}


def _settled(provider: str) -> bool:
    from shared.db import get_database

    with get_database().transaction() as cursor:
        cursor.execute("SELECT count(*) FROM webhook_windows w JOIN connections c ON c.id = w.connection_id"
                       " WHERE c.provider = %s", (provider,))
        return cursor.fetchone()[0] == 0


def _data_calls(sandbox, provider: str) -> int:
    prefix = {"oura": "oura.", "fitbit": "googlehealth.", "whoop": "whoop.", "withings": "withings."}[provider]
    skip = ("webhook", "subscribers", "identity", "personal_info", "profile", "token", "signature", "notify")
    # `route:detail` counters repeat a call already counted under its route name.
    return sum(count for name, count in sandbox.state.counters.snapshot().items()
               if name.startswith(prefix) and ":" not in name and not any(word in name for word in skip))


def _one_day(sandbox, provider: str) -> dict[str, float]:
    from shared.config import get_settings

    sink = Path(get_settings().local_sink_dir)
    before = _sink_size(sink)
    sandbox.state.counters.clear()
    started = time.monotonic()
    answer = requests.post(f"{SANDBOX}/_sandbox/{provider}/new-day", json={"user": "bob"}, timeout=120).json()
    acknowledged = time.monotonic() - started
    day = answer["day_start"][:10]
    first = None
    while time.monotonic() - started < 120:
        if first is None and _day_records(sink, day, before):
            first = time.monotonic() - started
        if _settled(provider):
            break
        time.sleep(0.1)
    done = time.monotonic() - started
    return {"notifications": answer["sent"], "acknowledged_s": acknowledged, "first_record_s": first or float("nan"),
            "all_done_s": done, "records_of_day": _day_records(sink, day, before), "data_calls": _data_calls(sandbox, provider)}


def _poll_calls(sandbox, provider: str, connection_id) -> int:
    """Return the data calls of one incremental poll (every stream from its cursor)."""
    from shared.download_entry import handle_download_message
    from shared.jobs import DownloadJob

    sandbox.state.counters.clear()
    handle_download_message(provider, DownloadJob(connection_id, provider, "incremental").to_json().encode(),
                            dequeue_count=1)
    return _data_calls(sandbox, provider)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=3, help="days added per provider")
    parser.add_argument("--verbose", action="store_true", help="show the app's log (warnings and above)")
    args = parser.parse_args()
    if args.verbose:
        import logging

        logging.basicConfig(level=logging.INFO, format="%(relativeCreated)8.0f %(name)s %(message)s")

    import os

    from devtools.sandbox import SandboxServer
    from shared.clock import utc_now
    from shared.config import get_settings
    from shared.migrate import apply_migrations
    from shared.providers.fitbit.subscriber import GoogleHealthSubscriber
    from shared.providers.oura.subscriptions import OuraSubscriptions
    from shared.db import get_database
    from shared.providers import PROVIDERS
    from shared.store.cursors import advance_cursor
    from devtools.sandbox.providers.fitbit.knobs import health_state
    from devtools.sandbox.providers.oura.knobs import oura_state
    from devtools.sandbox.providers.whoop.knobs import whoop_state
    from devtools.sandbox.providers.withings.knobs import withings_state
    from tests.sync.support import connect_account
    from tests.webhooks.support import clear

    import tempfile

    os.environ["LOCAL_SINK_DIR"] = tempfile.mkdtemp(prefix="bench-webhooks-sink-")  # an empty sink of its own
    name = f"test_run_{os.getpid()}"
    _server_command(f'CREATE DATABASE "{name}"')
    sandbox = SandboxServer(port=SANDBOX_PORT, api_base=API)
    host = None
    try:
        apply_migrations(get_settings())
        sandbox.start()
        # The sandbox's data ends `--days` midnights ago, so each day added is a whole past day; the
        # cursors start an hour before that, as in steady state (the backfill is not measured here).
        today = utc_now().replace(hour=0, minute=0, second=0, microsecond=0)
        data_end = today - timedelta(days=args.days)
        oura_state(sandbox.state.extras).configure(now=data_end.isoformat())
        health_state(sandbox.state.extras).configure(now=data_end.isoformat())
        whoop_state(sandbox.state.extras).configure(now=data_end.isoformat())
        withings_state(sandbox.state.extras).configure(now=data_end.isoformat())
        connections = {provider: connect_account(sandbox, provider) for provider in PUSHING}
        with get_database().transaction() as cursor:
            for provider, connection_id in connections.items():
                for stream in PROVIDERS[provider].streams():
                    advance_cursor(cursor, connection_id, stream.name, synced_until=data_end - timedelta(hours=1),
                                   now=utc_now())
        for provider in connections:
            clear(provider)
        host = _host()
        OuraSubscriptions().repair(get_settings(), None, utc_now())
        GoogleHealthSubscriber().repair(get_settings(), ADMIN_TOKEN, utc_now())
        requests.post(f"{SANDBOX}/_sandbox/whoop/webhooks", json={"url": f"{API}/webhooks/whoop"}, timeout=10)
        _subscribe_withings(connections["withings"])
        interval = get_settings().sync_interval_minutes
        print(f"{'provider':8} {'day':>3} {'notes':>5} {'ack s':>6} {'first s':>8} {'done s':>7} {'records':>8} {'calls':>6}")
        summary = {}
        for provider in PUSHING:
            runs = []
            for index in range(args.days):
                run = _one_day(sandbox, provider)
                runs.append(run)
                print(f"{provider:8} {index + 1:>3} {run['notifications']:>5} {run['acknowledged_s']:>6.2f} "
                      f"{run['first_record_s']:>8.2f} {run['all_done_s']:>7.2f} {run['records_of_day']:>8} "
                      f"{run['data_calls']:>6}")
            poll = _poll_calls(sandbox, provider, connections[provider])
            webhook_day = statistics.median(run["data_calls"] for run in runs)
            polling = poll * 24 * 60 // interval
            with_webhooks = webhook_day * SYNCS_PER_DAY + poll
            summary[provider] = (statistics.median(r["all_done_s"] for r in runs), poll, webhook_day, polling,
                                 with_webhooks)
        print()
        for provider, (done, poll, webhook_day, polling, with_webhooks) in summary.items():
            print(f"{provider}: median {done:.1f} s from new day to all its records in the sink; calls per poll "
                  f"{poll}, per notified day {webhook_day:.0f}; per user per day: polling every {interval} min "
                  f"{polling}, webhooks ({SYNCS_PER_DAY} syncs + 1 reconciliation) {with_webhooks:.0f}")
    finally:
        if host is not None:
            host.stop()
        sandbox.stop()
        get_database().close()
        _server_command(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _subscribe_withings(connection_id) -> None:
    """Subscribe the Withings user now that the app answers the HEAD check (it was down at confirmation)."""
    from shared.config import get_settings
    from shared.crypto import get_keyring
    from shared.db import get_database
    from shared.providers.base import TokenSet
    from shared.providers.withings.notify import WithingsNotify
    from shared.store.connections import load_tokens

    with get_database().transaction() as cursor:
        stored = load_tokens(cursor, get_keyring(), connection_id)
    WithingsNotify().subscribe(get_settings(), TokenSet(stored.access_token, None, None, None))


def _host():  # -> LocalHost
    """Start the app on the test port with its queue triggers and timers running."""
    from devtools.localhost import LocalHost, LocalSettings
    from function_app import app

    host = LocalHost(app, json.loads((ROOT / "host.json").read_text()), port=HOST_PORT,
                     settings=LocalSettings(cors_origins=()))
    host.start()
    return host


if __name__ == "__main__":
    main()
