"""Google Health (Fitbit) streams: API calls of a 365-day backfill, and mapping throughput.

(a) Starts the sandbox in-process, reads a year of every `fitbit` stream of one demo user through
    the stream hooks (windows of each stream's max_window, pages until no token, one HTTP call per
    page over `requests`), and prints the calls next to the minimum the documented limits allow
    (ceil(points / page size) for list/reconcile, ceil(365 / range cap) for rollUp; at least 1)
    and the estimate of the reference's section 8. bob's tracker logs heart rate per minute;
    alice's watch logs it every second, read here over `--one-hertz-days` and scaled to a year.
(b) Maps provider-shaped pages (built by the sandbox's generator, no HTTP) on one core: a day of
    1 Hz heart rate and a year of per-minute steps, with and without JSON decoding.

Run: `.venv/bin/python benchmarks/bench_google_health.py [--user bob] [--one-hertz-days 14] [--skip-calls]`.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devtools.sandbox import SandboxServer  # noqa: E402
from devtools.sandbox.google.tokens import google_access_token  # noqa: E402
from devtools.sandbox.providers.fitbit import queries as queries  # noqa: E402
from devtools.sandbox.providers.fitbit.filters import parse  # noqa: E402
from devtools.sandbox.providers.fitbit.knobs import health_state  # noqa: E402
from devtools.sandbox.providers.fitbit.types import TYPES  # noqa: E402
from devtools.sandbox.providers.fitbit.wire import WireOptions, to_json  # noqa: E402
from devtools.sandbox.wearer.profiles import profile_of  # noqa: E402
from shared.contract.records import DatastreamPacket, Event, Record  # noqa: E402
from shared.providers.fitbit import map_series as series  # noqa: E402
from shared.providers.fitbit.provider import SCOPES  # noqa: E402
from shared.providers.fitbit.streams import STREAMS as FITBIT_STREAMS  # noqa: E402
from shared.sync.streams import Stream, StreamContext  # noqa: E402
from tests.providers.api import BearerApi, read_window  # noqa: E402

UTC = timezone.utc
NOW = datetime(2026, 10, 1, tzinfo=UTC)
DAYS = 365
SESSION_STREAMS = {"sleep", "exercise"}
# Reference section 8 (one source): request kind and minimum calls for a year.
SECTION_8 = {
    "steps": ("reconcile", "53 (36)"), "distance": ("reconcile", "53"), "heart_rate": ("reconcile", "631-3154"),
    "resting_heart_rate": ("reconcile", "1"), "heart_rate_variability": ("reconcile", "4"),
    "oxygen_saturation": ("reconcile", "16"), "respiratory_rate": ("reconcile", "1"),
    "active_energy": ("reconcile", "53"), "total_calories": ("rollUp 900s", "27"),
    "active_zone_minutes": ("reconcile", "2"), "weight": ("reconcile", "1"), "body_fat": ("reconcile", "1"),
    "sleep": ("reconcile", "15-19"), "exercise": ("reconcile", "10"),
}


def _items(records: list[Record]) -> int:
    """Return the data points of packets, or the sessions among events (stages not counted)."""
    points = sum(len(r.points) for r in records if isinstance(r, DatastreamPacket))
    sessions = sum(1 for r in records if isinstance(r, Event) and ".stage." not in r.event_type)
    return points + sessions


def _minimum(stream: Stream, items: int, days: int) -> int:
    if stream.name == "total_calories":
        return math.ceil(days / 14)
    page = 25 if stream.name in SESSION_STREAMS else 10000
    return max(1, math.ceil(items / page))


def backfill(server: SandboxServer, user: str, stream: Stream, days: int) -> tuple[int, int, float]:
    """Return (items, calls, seconds) of reading `days` of one stream."""
    grant = server.state.grants.create_grant("google", "sandbox-fitbit-client", user, SCOPES)
    api = BearerApi(server.state.grants.issue_access_token(grant, google_access_token(), 86400), timeout=120)
    context = StreamContext(api, f"{server.url}/googlehealth", f"personicle-{user}", "fitbit")
    started, end = time.perf_counter(), NOW
    window_start, records, calls = end - timedelta(days=days), [], 0
    while window_start < end:
        window_end = min(end, window_start + stream.max_window)
        read = read_window(stream, context, window_start, window_end)
        records += read.records
        calls += read.calls
        window_start = window_end
    assert calls == api.calls
    return _items(records), calls, time.perf_counter() - started


def part_a(user: str, one_hertz_days: int) -> None:
    server = SandboxServer(port=0)
    server.start()
    health_state(server.state.extras).configure(now=NOW.isoformat())
    try:
        print(f"\n(a) API calls, {DAYS}-day backfill of {user}, ending {NOW:%Y-%m-%d}")
        print(f"{'stream':24} {'method':12} {'records':>9} {'calls':>6} {'minimum':>8} {'sect. 8':>9} {'seconds':>8}")
        total_calls = total_minimum = 0
        for stream in FITBIT_STREAMS:
            items, calls, seconds = backfill(server, user, stream, DAYS)
            minimum = _minimum(stream, items, DAYS)
            total_calls, total_minimum = total_calls + calls, total_minimum + minimum
            method, estimate = SECTION_8[stream.name]
            print(f"{stream.name:24} {method:12} {items:9d} {calls:6d} {minimum:8d} {estimate:>9} {seconds:8.1f}",
                  flush=True)
        print(f"{'total':24} {'':12} {'':9} {total_calls:6d} {total_minimum:8d}")
        if one_hertz_days:
            heart = next(s for s in FITBIT_STREAMS if s.name == "heart_rate")
            items, calls, seconds = backfill(server, "alice", heart, one_hertz_days)
            year_items = items * DAYS / one_hertz_days
            print(f"\nheart_rate at 1 Hz (alice), {one_hertz_days} days: {items} samples, {calls} calls "
                  f"(minimum {_minimum(heart, items, one_hertz_days)}), {seconds:.1f} s; scaled to {DAYS} days: "
                  f"~{year_items:,.0f} samples, ~{round(calls * DAYS / one_hertz_days)} calls "
                  f"(minimum {math.ceil(year_items / 10000)})")
    finally:
        server.stop()


def _pages(user: str, path_id: str, start: datetime, end: datetime):
    """Yield reconcile-shaped response bodies of [start, end), 10000 points each, as the API pages them."""
    profile, kind = profile_of(user), TYPES[path_id]
    member = "sample_time.physical_time" if kind.kind == "sample" else "interval.start_time"
    expression = (f'{kind.filter_prefix}.{member} >= "{start:%Y-%m-%dT%H:%M:%SZ}" AND '
                  f'{kind.filter_prefix}.{member} < "{end:%Y-%m-%dT%H:%M:%SZ}"')
    query = queries.Query("reconcile", kind, expression, parse(expression, kind), 10000,
                          queries.FAMILIES["users/me/dataSourceFamilies/all-sources"], "")
    now = int(NOW.timestamp())
    options = WireOptions(False, False, 0, now)
    token = None
    while True:
        found, last = queries.page(profile, query, token, descending=True, merged=True, tie_drop=False, now=now)
        yield {"dataPoints": [to_json(profile, kind, record, options) for record in found]}
        if last is None:
            return
        token = queries.encode_token(query.fingerprint(), last)


def _clear_generator_caches() -> None:
    """Drop the generator's caches so the timed mapping runs in a process of normal size."""
    from devtools.sandbox.providers.fitbit import records as health_records
    from devtools.sandbox.wearer import days

    for cached in (health_records.chunk_records, days.day_minutes, days.day_plan, days.hour_heart_rate):
        cached.cache_clear()
    gc.collect()


def _throughput(label: str, spec: series.SeriesSpec, texts: list[str]) -> None:
    """Decode and map response texts page by page; print records/s for mapping alone and with decoding."""
    _clear_generator_caches()
    mapped, map_seconds, decode_seconds = 0, 0.0, 0.0
    for text in texts:
        started = time.perf_counter()
        parsed = json.loads(text)
        decoded = time.perf_counter()
        packets = series.map_series(spec, parsed, "personicle-bench", "fitbit")
        map_seconds += time.perf_counter() - decoded
        decode_seconds += decoded - started
        mapped += sum(len(p.points) for p in packets)
        del parsed, packets
    print(f"{label:34} {mapped:9d} {mapped / map_seconds:14,.0f} {mapped / (map_seconds + decode_seconds):16,.0f}")


def part_b() -> None:
    print("\n(b) mapping throughput, one core (pages of 10000 in the reconcile shape)")
    print(f"{'input':34} {'records':>9} {'map records/s':>14} {'decode+map rec/s':>16}")
    day = datetime(2026, 9, 29, tzinfo=UTC)
    heart = [json.dumps(body, separators=(",", ":"))
             for body in _pages("alice", "heart-rate", day, day + timedelta(days=1))]
    steps = [json.dumps(body, separators=(",", ":")) for body in _pages("bob", "steps", NOW - timedelta(days=DAYS), NOW)]
    _throughput("heart rate, 1 day at 1 Hz (alice)", series.HEART_RATE, heart)
    _throughput("steps, 365 days per minute (bob)", series.STEPS, steps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="bob", help="demo user of the backfill (default bob)")
    parser.add_argument("--one-hertz-days", type=int, default=14, help="days of alice's 1 Hz heart rate (0: skip)")
    parser.add_argument("--skip-calls", action="store_true", help="only measure mapping throughput")
    args = parser.parse_args()
    if not args.skip_calls:
        part_a(args.user, args.one_hertz_days)
    part_b()


if __name__ == "__main__":
    main()
