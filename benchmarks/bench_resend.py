"""Measure what a second incremental sync over unchanged data sends, without and with the delivery ledger.

For each provider, the in-process sandbox (data pinned to end at NOW) is read over real HTTP with
the real streams and mappers, the way the engine reads an incremental sync: windows from the
cursor minus the 48-hour overlap (`SYNC_OVERLAP_MINUTES` default) to the sync's clock.
1. A first incremental sync at NOW (cursor at NOW) delivers through the ledger.
2. A second one an hour later re-reads the same 48 hours (no new data exists).
3. A repeat of that second sync (same clock, same window).
Counts are records handed to the sink (one message each unless a packet exceeds a message). The
ledger logic is the app's `DeliveryLedger`; its rows live in memory here (PostgreSQL in the app).

Run: .venv/bin/python benchmarks/bench_resend.py [--user bob]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devtools.sandbox import SandboxServer  # noqa: E402
from devtools.sandbox.google.tokens import google_access_token  # noqa: E402
from devtools.sandbox.providers.fitbit.knobs import health_state  # noqa: E402
from devtools.sandbox.providers.google_fit.knobs import fit_state  # noqa: E402
from devtools.sandbox.providers.oura.knobs import oura_state  # noqa: E402
from shared.contract.records import Event, Record  # noqa: E402
from shared.providers import PROVIDERS  # noqa: E402
from shared.sync.deliveries import DeliveryLedger  # noqa: E402
from shared.sync.engine import windows  # noqa: E402
from shared.sync.streams import StreamContext  # noqa: E402
from tests.sandbox.flows import oura_tokens  # noqa: E402
from tests.providers.api import BearerApi, read_window  # noqa: E402

UTC = timezone.utc
NOW = datetime(2026, 10, 1, tzinfo=UTC)
OVERLAP = timedelta(minutes=2880)
OURA_SCOPES = "daily heartrate workout session spo2 stress heart_health"


class MemoryLedgerStore:
    """The ledger's rows in memory."""

    def __init__(self) -> None:
        self.rows: dict[tuple, tuple[bytes, datetime]] = {}

    def digests(self, group: Any, record_ids: Any) -> dict[str, bytes]:
        return {rid: self.rows[(group, rid)][0] for rid in record_ids if (group, rid) in self.rows}

    def remember(self, deliveries: Any, now: datetime) -> None:
        for d in deliveries:
            self.rows[((d.individual_id, d.source, d.stream), d.record_id)] = (d.digest, d.ends_at)

    def forget(self, group: Any, ended_before: datetime) -> None:
        for key in [k for k, (_, ends) in self.rows.items() if k[0] == group and ends < ended_before]:
            del self.rows[key]


def _context(server: SandboxServer, provider: str, user: str) -> StreamContext:
    if provider == "oura":
        oura_state(server.state.extras).configure(now=NOW.isoformat())
        api = BearerApi(oura_tokens(server.url, user, OURA_SCOPES)["access_token"], provider="oura")
        return StreamContext(api, f"{server.url}/oura", f"personicle-{user}", "oura")
    spec = PROVIDERS[provider]
    client = f"sandbox-{provider.replace('_', '-')}-client"
    grant = server.state.grants.create_grant("google", client, user, spec.scopes)
    api = BearerApi(server.state.grants.issue_access_token(grant, google_access_token(), 86400), timeout=120,
                    provider=provider)
    if provider == "fitbit":
        health_state(server.state.extras).configure(now=NOW.isoformat())
        return StreamContext(api, f"{server.url}/googlehealth", f"personicle-{user}", "fitbit")
    fit_state(server.state.extras).configure(now=NOW.isoformat())
    return StreamContext(api, f"{server.url}/googlefit", f"personicle-{user}", "google-fit")


def _sync(context: StreamContext, provider: str, cursor: datetime, clock: datetime) -> list[list[Record]]:
    """Return the pages of records an incremental sync reads (cursor - overlap to clock)."""
    pages = []
    for stream in PROVIDERS[provider].streams():
        for start, end in windows(cursor - OVERLAP, clock, stream.max_window):
            read = read_window(stream, context, start, end)
            if read.records:
                pages.append(list(read.records))
    return pages


def _counts(records: list[Record]) -> Counter:
    return Counter("events" if isinstance(record, Event) else "packets" for record in records)


def _deliver(ledger: DeliveryLedger, pages: list[list[Record]], clock: datetime) -> Counter:
    sent: Counter = Counter()
    for page in pages:
        fresh = ledger.unsent(page)
        ledger.confirmed(fresh, clock)
        sent += _counts(fresh)
    return sent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--user", default="bob")
    args = parser.parse_args()
    server = SandboxServer(port=0)
    server.start()
    try:
        print(f"{'provider':11} {'sync':37} {'events':>7} {'packets':>8} {'events':>7} {'packets':>8}")
        print(f"{'':11} {'':37} {'without ledger':>16} {'with ledger':>16}")
        for provider in ("fitbit", "oura", "google_fit"):
            context = _context(server, provider, args.user)
            ledger = DeliveryLedger(MemoryLedgerStore(), keep=2 * OVERLAP)
            runs = (("1st incremental (clock NOW)", NOW, NOW),
                    ("2nd incremental (clock NOW + 1 h)", NOW, NOW + timedelta(hours=1)),
                    ("2nd repeated (same clock and window)", NOW, NOW + timedelta(hours=1)))
            for label, cursor, clock in runs:
                pages = _sync(context, provider, cursor, clock)
                everything = _counts([record for page in pages for record in page])
                sent = _deliver(ledger, pages, clock)
                print(f"{provider:11} {label:37} {everything['events']:7d} {everything['packets']:8d} "
                      f"{sent['events']:7d} {sent['packets']:8d}", flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
