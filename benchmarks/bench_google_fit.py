"""Google Fit streams: API calls of a 365-day backfill next to the documented minimum, and mapping throughput.

(a) Starts the sandbox in-process and reads a year of every `google_fit` stream of the demo users
    through the stream hooks (engine windows of each stream's max_window, pages until no token, one
    HTTP call per page over `requests`). Prints the calls next to the minimum the documented limits
    allow (docs/providers/google_fit.md 6): ceil(365 / 90) aggregate requests per aggregate stream,
    one sessions.list, ceil(segments / 1000) datasets.get pages for the sleep stages. The
    reference's connector-wide minimum (every type in one aggregate request) is printed too.
    `--aggregate-limit-days 30` makes the sandbox refuse ranges over 30 days, as some clients
    report, to show what the halving retries cost.
(b) Decodes and maps aggregate answers (a 90-day window of one stream per request) on one core.

Run: `.venv/bin/python benchmarks/bench_google_fit.py [--users alice,dave] [--aggregate-limit-days 90]`.
"""

from __future__ import annotations

import argparse
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
from devtools.sandbox.providers.google_fit.knobs import fit_state  # noqa: E402
from shared.contract.records import DatastreamPacket  # noqa: E402
from shared.providers.google_fit.catalogue import AGGREGATE_GROUPS  # noqa: E402
from shared.providers.google_fit.map_series import map_aggregate  # noqa: E402
from shared.providers.google_fit.provider import SCOPES  # noqa: E402
from shared.providers.google_fit.queries import aggregate_body, to_millis_delta  # noqa: E402
from shared.providers.google_fit.streams import STREAMS as GOOGLE_FIT_STREAMS  # noqa: E402
from shared.sync.engine import windows  # noqa: E402
from shared.sync.streams import Stream, StreamContext  # noqa: E402
from tests.providers.api import BearerApi, read_window  # noqa: E402

UTC = timezone.utc
NOW = datetime(2026, 10, 1, 9, 30, tzinfo=UTC)
DAYS = 365
SECTION_6_TOTAL = 1 + math.ceil(DAYS / 90) + 1 + 1  # dataSources.list + one aggregate for all types + sessions + sleep


def _context(server: SandboxServer, user: str) -> tuple[StreamContext, BearerApi]:
    grant = server.state.grants.create_grant("google", "sandbox-google-fit-client", user, SCOPES)
    api = BearerApi(server.state.grants.issue_access_token(grant, google_access_token(), 86400), timeout=120,
                    provider="google_fit")
    return StreamContext(api, f"{server.url}/googlefit", f"personicle-{user}", "google-fit"), api


def _minimum(stream: Stream, items: int, limit_days: int) -> int:
    """Return the fewest calls the limits allow: one per aggregate range, one sessions.list, one per 1000 points."""
    if stream.name == "sessions":
        return 1
    if stream.name == "sleep_stages":
        return max(1, math.ceil(items / 1000))
    return math.ceil(DAYS / min(90, limit_days))


def backfill(server: SandboxServer, user: str, stream: Stream) -> tuple[int, int, float]:
    """Return (items, calls, seconds) of reading a year of one stream: points, or events."""
    context, api = _context(server, user)
    started, items, calls = time.perf_counter(), 0, 0
    for window_start, window_end in windows(NOW - timedelta(days=DAYS), NOW, stream.max_window):
        read = read_window(stream, context, window_start, window_end)
        items += sum(len(r.points) if isinstance(r, DatastreamPacket) else 1 for r in read.records)
        calls += read.calls
    assert calls == api.calls
    return items, calls, time.perf_counter() - started


def part_a(users: list[str], limit_days: int) -> None:
    server = SandboxServer(port=0)
    server.start()
    fit_state(server.state.extras).configure(now=NOW.isoformat(), aggregate_max_days=limit_days)
    try:
        for user in users:
            print(f"\n(a) API calls, {DAYS}-day backfill of {user} ending {NOW:%Y-%m-%d %H:%M} UTC, "
                  f"server aggregate limit {limit_days} days")
            print(f"{'stream':18} {'method':22} {'items':>7} {'calls':>6} {'minimum':>8} {'seconds':>8}")
            total_calls = total_minimum = 0
            for stream in GOOGLE_FIT_STREAMS:
                items, calls, seconds = backfill(server, user, stream)
                minimum = _minimum(stream, items, limit_days)
                total_calls, total_minimum = total_calls + calls, total_minimum + minimum
                method = {"sessions": "sessions.list", "sleep_stages": "datasets.get limit 1000"}.get(
                    stream.name, "dataset:aggregate")
                print(f"{stream.name:18} {method:22} {items:7d} {calls:6d} {minimum:8d} {seconds:8.1f}")
            print(f"{'total':18} {'':22} {'':7} {total_calls:6d} {total_minimum:8d}")
            print(f"reference section 6, every type in one aggregate request (no per-scope isolation): "
                  f"{SECTION_6_TOTAL} calls")
    finally:
        server.stop()


def part_b(user: str) -> None:
    print(f"\n(b) aggregate answers of 90 days ({user}), decode + map on one core")
    print(f"{'stream':18} {'bytes':>9} {'points':>7} {'decode ms':>10} {'map ms':>8}")
    server = SandboxServer(port=0)
    server.start()
    fit_state(server.state.extras).configure(now=NOW.isoformat())
    try:
        context, api = _context(server, user)
        end = int(NOW.timestamp()) // 86400 * 86400 * 1000
        for group in AGGREGATE_GROUPS:
            unit = to_millis_delta(group.bucket)
            response = api.session.post(f"{context.base_url}/fitness/v1/users/me/dataset:aggregate",
                                        json=aggregate_body(group.specs, end - 90 * 86_400_000, end, unit),
                                        headers={"Authorization": f"Bearer {api.token}"}, timeout=120)
            started = time.perf_counter()
            body = json.loads(response.content)
            decoded = time.perf_counter()
            packets = map_aggregate(body, group.specs, context.individual_id, context.source)
            mapped = time.perf_counter()
            points = sum(len(p.points) for p in packets)
            print(f"{group.name:18} {len(response.content):9d} {points:7d} {1000 * (decoded - started):10.1f} "
                  f"{1000 * (mapped - decoded):8.1f}")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="alice,dave", help="comma-separated demo users (default alice,dave)")
    parser.add_argument("--aggregate-limit-days", type=int, default=90,
                        help="longest aggregate range the sandbox accepts (documented 90)")
    parser.add_argument("--skip-calls", action="store_true", help="only measure mapping")
    args = parser.parse_args()
    if not args.skip_calls:
        part_a([user for user in args.users.split(",") if user], args.aggregate_limit_days)
    part_b(args.users.split(",")[0] or "alice")


if __name__ == "__main__":
    main()
