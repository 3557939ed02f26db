"""Measure the WHOOP streams: API calls of a 365-day backfill against the documented minimum.

Reads a 365-day backfill of every `whoop` stream from the in-process sandbox over real HTTP (token
from its OAuth flow, every scope granted) and prints, per stream, the calls made next to the
minimum of docs/providers/whoop.md 11: one request per 25 records a collection holds for the range
(counted by the sandbox's own answers, read separately at the same `limit`), and one request for
the body measurement. The token exchange and the profile call of the connect flow are counted
apart, as the reference's plan does. Then a second user with more workouts, and the app-wide
budget: how many such backfills 10,000 requests a day allow.

Run: .venv/bin/python benchmarks/bench_whoop.py [--users bob carol]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests  # noqa: E402

from devtools.sandbox import SandboxServer  # noqa: E402
from devtools.sandbox.providers.whoop.knobs import whoop_state  # noqa: E402
from shared.providers.whoop.fetch import RECOVERY_PADDING  # noqa: E402
from shared.providers.whoop.streams import STREAMS  # noqa: E402
from shared.sync.streams import StreamContext  # noqa: E402
from tests.sandbox.flows import whoop_tokens  # noqa: E402
from tests.providers.api import BearerApi, read_window  # noqa: E402

UTC = timezone.utc
NOW = datetime(2026, 10, 1, tzinfo=UTC)
BACKFILL = timedelta(days=365)
DAILY_BUDGET = 10_000
CONNECT_CALLS = 2  # token exchange + profile (identity)


def _held(base: str, token: str, path: str, start: datetime, end: datetime) -> int:
    """Return how many records the collection answers for [start, end) (read with the largest pages)."""
    count, following = 0, None
    while True:
        params = {"start": start.isoformat(), "end": end.isoformat(), "limit": 25}
        if following:
            params["nextToken"] = following
        body = requests.get(f"{base}/{path}", params=params, headers={"Authorization": f"Bearer {token}"},
                            timeout=60).json()
        count += len(body["records"])
        following = body.get("next_token")
        if not following:
            return count


def backfill(server: SandboxServer, user: str) -> int:
    """Print the calls of a 365-day backfill of every stream; return the total with the connect calls."""
    whoop_state(server.state.extras).configure(now=NOW.isoformat(), rate_limit_per_minute=0, rate_limit_per_day=0)
    token = whoop_tokens(server.url, user)["access_token"]
    base = f"{server.url}/whoop/developer"
    api = BearerApi(token, provider="whoop")
    context = StreamContext(api, base, f"personicle-{user}", "whoop")
    start = NOW - BACKFILL
    print(f"\n365-day backfill, user {user}")
    print(f"{'stream':18} {'calls':>5} {'minimum':>7} {'held':>5} {'records':>7} {'s':>6}")
    total = minimum_total = 0
    for stream in STREAMS:
        began = time.perf_counter()
        read = read_window(stream, context, start, NOW)
        seconds = time.perf_counter() - began
        if stream.name == "body_measurement":
            held, minimum = 1, 1
        else:
            padding = RECOVERY_PADDING if stream.name == "recovery" else timedelta(0)
            held = _held(base, token, stream.tags[0], start - padding, NOW)
            minimum = max(1, math.ceil(held / 25))
        total += read.calls
        minimum_total += minimum
        print(f"{stream.name:18} {read.calls:5d} {minimum:7d} {held:5d} {len(read.records):7d} {seconds:6.2f}")
    print(f"{'streams total':18} {total:5d} {minimum_total:7d}")
    print(f"with the connect flow (+{CONNECT_CALLS}): {total + CONNECT_CALLS} calls; "
          f"{DAILY_BUDGET // (total + CONNECT_CALLS)} such backfills fit WHOOP's 10,000 requests a day")
    return total + CONNECT_CALLS


def main() -> None:
    """Run the backfill measurement for each user."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", nargs="+", default=["bob", "carol"])
    args = parser.parse_args()
    server = SandboxServer(port=0)
    server.start()
    try:
        for user in args.users:
            server.state.reset()
            backfill(server, user)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
