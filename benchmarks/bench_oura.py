"""Measure the Oura streams: API calls of a 365-day backfill per stream, and mapping throughput.

Part 1 reads a 365-day backfill of every `oura` stream from the in-process sandbox over real HTTP
(token from its OAuth flow) and prints the calls next to docs/providers/oura.md section 9: the
theoretical minimum (one request per collection plus the extra pages) and the recommended plan
(90-day windows: 5 requests per collection; 30-day windows: 13 for heart rate; plus pages). A second
run sets the sandbox's maximum range to 30 days: every long range is refused and read again in
smaller chunks (dates: 86 days, refused too, then 26; heart rate: 29). Page sizes are the
sandbox's (Oura documents none): 500 documents, 10,000 heart-rate rows.

Part 2 maps a year of heart-rate rows (parsed JSON, as the stream receives them, in pages of 10,000)
to Personicle packets and prints rows per second; the wire form and its validation are timed
separately (the sink does those).

Run: .venv/bin/python benchmarks/bench_oura.py [--user bob] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devtools.sandbox import SandboxServer  # noqa: E402
from devtools.sandbox.providers.oura.heartrate import day_rows  # noqa: E402
from devtools.sandbox.providers.oura.knobs import oura_state  # noqa: E402
from devtools.sandbox.wearer.profiles import profile_of  # noqa: E402
from shared.contract.records import DatastreamPacket  # noqa: E402
from shared.contract.wire import to_wire, validate_wire  # noqa: E402
from shared.providers.oura.map_heartrate import map_heartrate  # noqa: E402
from shared.providers.oura.streams import STREAMS as OURA_STREAMS  # noqa: E402
from shared.sync.streams import StreamContext  # noqa: E402
from tests.providers.api import BearerApi, read_window  # noqa: E402
from tests.sandbox.flows import oura_tokens  # noqa: E402

UTC = timezone.utc
NOW = datetime(2026, 10, 1, tzinfo=UTC)
SCOPES = "daily heartrate workout session spo2 stress heart_health"
RECOMMENDED = {"heartrate": 13}  # section 9: ceil(366/30) heart-rate windows, ceil(367/90) = 5 otherwise
BACKFILL = timedelta(days=365)


def _items(records: list[Any]) -> int:
    return sum(len(r.points) if isinstance(r, DatastreamPacket) else 1 for r in records)


def _refusals(read: Any) -> int:
    """Return how many answers of a read were refused ranges (empty pages that start smaller chunks)."""
    sizes = [json.loads(token).get("days") for token in read.tokens if token]
    return len({size for size in sizes if size is not None})


def _requests(stream: Any, read: Any) -> int:
    """Return the ranged requests a read needed: 1, or the chunks of its smallest chunk size."""
    sizes = [json.loads(token).get("days") for token in read.tokens if token]
    days = min((size for size in sizes if size is not None), default=None)
    return 1 if days is None else -(-BACKFILL.days // days)


def backfill(server: SandboxServer, user: str, max_range_days: int) -> None:
    """Print the calls of a 365-day backfill of every stream next to section 9's counts."""
    state = oura_state(server.state.extras)
    state.configure(now=NOW.isoformat(), max_range_days=max_range_days)
    api = BearerApi(oura_tokens(server.url, user, SCOPES)["access_token"], provider="oura")
    context = StreamContext(api, f"{server.url}/oura", f"personicle-{user}", "oura")
    title = f"ranges over {max_range_days} days refused" if max_range_days else "no range limit (as documented)"
    print(f"\n365-day backfill, user {user}, {title}")
    print("calls: measured; extra: pages beyond one per request; minimum: section 9's one request per")
    print("collection + extra; plan: section 9's recommended 90/30-day windows + extra")
    print(f"{'stream':26} {'calls':>5} {'refused':>7} {'extra':>5} {'minimum':>7} {'plan':>5} {'records':>8} "
          f"{'items':>9} {'s':>6}")
    totals = [0, 0, 0]
    for stream in OURA_STREAMS:
        started = time.perf_counter()
        read = read_window(stream, context, NOW - BACKFILL, NOW)
        elapsed = time.perf_counter() - started
        refused = _refusals(read)
        extra = read.calls - refused - _requests(stream, read)
        minimum, plan = 1 + extra, RECOMMENDED.get(stream.name, 5) + extra
        totals = [totals[0] + read.calls, totals[1] + minimum, totals[2] + plan]
        print(f"{stream.name:26} {read.calls:5d} {refused:7d} {extra:5d} {minimum:7d} {plan:5d} "
              f"{len(read.records):8d} {_items(read.records):9d} {elapsed:6.2f}")
    print(f"{'total':26} {totals[0]:5d} {'':7} {'':5} {totals[1]:7d} {totals[2]:5d}")
    state.configure(max_range_days=0)


def heart_rate_year(user: str) -> list[list[dict[str, Any]]]:
    """Return a year of heart-rate rows as parsed JSON, in pages of 10,000."""
    profile = profile_of(user)
    rows: list[dict[str, Any]] = []
    day = (NOW - timedelta(days=365)).date()
    while day < NOW.date():
        rows += [{"bpm": bpm, "source": source, "timestamp": datetime.fromtimestamp(at, UTC).isoformat()}
                 for at, bpm, source in day_rows(profile, day)]
        day += timedelta(days=1)
    parsed = json.loads(json.dumps(rows))
    return [parsed[i:i + 10000] for i in range(0, len(parsed), 10000)]


def mapping(user: str, repeat: int) -> None:
    """Print the mapping throughput of a year of heart rate."""
    pages = heart_rate_year(user)
    rows = sum(map(len, pages))
    start, end = NOW - timedelta(days=365), NOW
    best_map = best_wire = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        packets = [p for page in pages for p in map_heartrate(page, f"personicle-{user}", "oura", start, end)]
        best_map = min(best_map, time.perf_counter() - started)
        started = time.perf_counter()
        for packet in packets:
            validate_wire(to_wire(packet))
        best_wire = min(best_wire, time.perf_counter() - started)
    points = sum(len(p.points) for p in packets)
    print(f"\nMapping a year of heart rate, user {user}: {rows} rows in {len(pages)} pages -> {points} points")
    print(f"  map_heartrate       {best_map:6.3f} s   {rows / best_map:12,.0f} rows/s")
    print(f"  to_wire + validate  {best_wire:6.3f} s   {points / best_wire:12,.0f} points/s (sink side)")


def main() -> None:
    """Run both parts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="bob", help="demo user (alice, bob, carol)")
    parser.add_argument("--repeat", type=int, default=3, help="mapping runs; the best is printed")
    args = parser.parse_args()
    with SandboxServer(port=0) as server:
        backfill(server, args.user, 0)
        backfill(server, args.user, 30)
    mapping(args.user, args.repeat)


if __name__ == "__main__":
    main()
