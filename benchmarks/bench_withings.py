"""Measure the Withings streams: API calls of a 365-day backfill against the documented minimum.

Reads a 365-day backfill of every `withings` stream from the in-process sandbox over real HTTP
(token from its OAuth flow) and prints, per stream, the calls made next to docs/providers/withings.md
section 7: the minimum is one request per action (no maximum range is documented) plus Withings'
extra pages; the reference's recommended plan of 92-day windows costs 4 requests per action plus
pages. Page sizes are the sandbox's default (300 rows; Withings documents none). A second run uses
pages of 50 rows to show the paging cost, and a third an incremental sync (`lastupdate`, 2 days).
Sleep `get` and intraday activity cover 24 hours a call, so their minimum is one call per day each,
read in the engine's one-day windows.

Run: .venv/bin/python benchmarks/bench_withings.py [--user alice]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devtools.sandbox import SandboxServer  # noqa: E402
from devtools.sandbox.providers.withings.knobs import withings_state  # noqa: E402
from shared.contract.records import DatastreamPacket  # noqa: E402
from shared.providers.withings.streams import STREAMS  # noqa: E402
from shared.sync.engine import windows  # noqa: E402
from shared.sync.streams import StreamContext  # noqa: E402
from tests.sandbox.flows import withings_tokens  # noqa: E402
from tests.providers.api import BearerApi, read_window  # noqa: E402

UTC = timezone.utc
NOW = datetime(2026, 10, 1, tzinfo=UTC)
BACKFILL = timedelta(days=365)
PLAN_WINDOWS = 4  # the reference's 92-day windows over a year


def _items(records: list[Any]) -> int:
    return sum(len(r.points) if isinstance(r, DatastreamPacket) else 1 for r in records)


def backfill(server: SandboxServer, user: str, page_size: int, span: timedelta) -> tuple[int, int]:
    """Print the calls of one read of every stream over `span` before NOW; return (calls, minimum)."""
    withings_state(server.state.extras).configure(now=NOW.isoformat(), page_size=page_size)
    api = BearerApi(withings_tokens(server.url, user)["access_token"], provider="withings")
    context = StreamContext(api, f"{server.url}/withings", f"personicle-{user}", "withings")
    print(f"\n{span.days}-day read, user {user}, pages of {page_size} rows")
    print(f"{'stream':17} {'calls':>5} {'extra':>5} {'minimum':>7} {'plan':>5} {'records':>8} {'items':>7} {'s':>6}")
    totals = [0, 0, 0]
    for stream in STREAMS:
        started = time.perf_counter()
        reads = [read_window(stream, context, lo, hi) for lo, hi in windows(NOW - span, NOW, stream.max_window)]
        elapsed = time.perf_counter() - started
        made = sum(read.calls for read in reads)
        records = [record for read in reads for record in read.records]
        extra = made - len(reads)
        minimum = len(reads) + extra
        plan = (PLAN_WINDOWS if len(reads) == 1 else len(reads)) + extra
        totals = [totals[0] + made, totals[1] + minimum, totals[2] + plan]
        print(f"{stream.name:17} {made:5d} {extra:5d} {minimum:7d} {plan:5d} {len(records):8d} "
              f"{_items(records):7d} {elapsed:6.2f}")
    print(f"{'total':17} {totals[0]:5d} {'':5} {totals[1]:7d} {totals[2]:5d}   (+1 token exchange)")
    return totals[0], totals[1]


def main() -> None:
    """Run the three reads."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="alice", help="demo user (alice, bob, carol)")
    args = parser.parse_args()
    with SandboxServer(port=0) as server:
        backfill(server, args.user, 300, BACKFILL)
        backfill(server, args.user, 50, BACKFILL)
        backfill(server, args.user, 300, timedelta(days=2))


if __name__ == "__main__":
    main()
