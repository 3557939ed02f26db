"""Many users at once: the fleet scenario of tests/fleet at a chosen size, its figures printed.

N sandbox people (default 200) connect Oura, WHOOP or both over HTTP through the app; two local host
processes poll the queues; one scheduling run; then the same people again with host A killed by
SIGKILL mid-backfill and restarted (see tests/fleet/scenario.py). Printed per run: people,
connections, distinct records, lines delivered, repeats, API calls made with the people's tokens, the
busiest person's calls per provider window, WHOOP's app-wide busiest minute, and the wall time from
the first sign-in to empty queues; then whether the killed run lost or repeated anything beyond its window.

Runs on the test stack and ports, so not while a test run uses them:
    devtools/stack.sh start test && .venv/bin/python benchmarks/bench_fleet.py --users 200
    devtools/stack.sh stop test
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import API, HOST_PORT, ROOT, SANDBOX_PORT, _server_command
from tests.fleet.scenario import (WHOOP_WINDOW_SCALE, FleetRun, data_end_for, differences, fleet,
                                  killed_window_violations, run_fleet)

print = functools.partial(print, flush=True)
KILL_AT_SHARE = 0.4


def _figures(label: str, run: FleetRun) -> None:
    busiest = {}
    for item in run.calls:
        busiest[item.api] = max(busiest.get(item.api, 0), item.peak)
    print(f"{label}: {run.users} people, {run.connections} connections, {run.records()} records "
          f"({len(run.lines)} lines, {sum(count - 1 for count in run.repeats().values())} repeats), "
          f"{run.api_calls()} API calls, {run.seconds:.1f} s wall")
    print(f"  busiest person per provider window: {json.dumps(busiest)}; WHOOP app-wide busiest real minute "
          f"{run.whoop_app_peak_per_minute} calls (windows scaled by {WHOOP_WINDOW_SCALE:g}: WHOOP's 100 a minute is"
          f" {100 / (60 * WHOOP_WINDOW_SCALE):.0f} a second), refused by the sandbox's app-wide limit "
          f"{run.whoop_refused}")
    print(f"  unfinished cursors {len(run.unfinished)}, poisoned jobs {run.poisoned}, over per-user limits "
          f"{len(run.over_limit())}, jobs run again after a crash {run.retried_jobs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="people in the fleet")
    args = parser.parse_args()

    from devtools.localhost import LocalHost, LocalSettings
    from devtools.sandbox import SandboxServer
    from function_app import app
    from shared.config import get_settings
    from shared.db import get_database
    from shared.migrate import apply_migrations

    name = f"test_run_{os.getpid()}"
    _server_command(f'CREATE DATABASE "{name}"')
    sandbox = SandboxServer(port=SANDBOX_PORT, api_base=API)
    host = LocalHost(app, json.loads((ROOT / "host.json").read_text()), port=HOST_PORT,
                     settings=LocalSettings(cors_origins=()))
    try:
        apply_migrations(get_settings())
        sandbox.start()
        host.start(triggers=False)  # the app's HTTP routes; the two host processes run the queues
        workdir = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
        people = fleet(args.users)
        data_end = data_end_for(datetime.now(UTC))
        reference = run_fleet(sandbox, get_database(), people, workdir / "reference", data_end, progress=print)
        _figures("fault-free", reference)
        killed = run_fleet(sandbox, get_database(), people, workdir / "killed", data_end, progress=print,
                           kill_at_lines=int(len(reference.lines) * KILL_AT_SHARE))
        _figures("host A killed", killed)
        print(f"  people whose record ids differ from the fault-free run's: {len(differences(killed, reference))}; "
              f"repeats outside the killed window: "
              f"{len(killed_window_violations(killed))}; host logs in {workdir}")
    finally:
        host.stop()
        sandbox.stop()
        get_database().close()
        _server_command(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
