"""The download worker alone, end to end: fetch, decode, map, validate, encode, batch; points per CPU second.

Pages are first recorded from the in-process sandbox over real HTTP (exactly as the streams request
them), then replayed from memory, so the sandbox's own CPU is not counted. Each replay runs the
stream's real `fetch_page` hooks over the engine's windows; the provider's raw answer bytes are
decoded by the worker's decoder (`shared.fastjson.loads`, or the standard library's `json.loads` for
comparison), mapped, and sent to an `EventHubSink` (JSON encoding, the default) whose producers
build the SDK's real `EventDataBatch`es and send nothing.

Workloads: a day of per-second heart rate (Google Health API, user alice), a year of per-minute steps
(Google Health API, user bob), a year of every Oura collection (user bob).

Run: .venv/bin/python benchmarks/bench_worker.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_sink import NullProducer, settings  # noqa: E402
from devtools.sandbox import SandboxServer  # noqa: E402
from devtools.sandbox.google.tokens import google_access_token  # noqa: E402
from devtools.sandbox.providers.fitbit.knobs import health_state  # noqa: E402
from devtools.sandbox.providers.oura.knobs import oura_state  # noqa: E402
from shared.contract.records import DatastreamPacket  # noqa: E402
from shared.fastjson import loads as fast_loads  # noqa: E402
from shared.providers.fitbit.provider import SCOPES as FITBIT_SCOPES  # noqa: E402
from shared.providers.fitbit.streams import STREAMS as FITBIT_STREAMS  # noqa: E402
from shared.providers.oura.provider import SCOPES as OURA_SCOPES  # noqa: E402
from shared.providers.oura.streams import STREAMS as OURA_STREAMS  # noqa: E402
from shared.sink.eventhub import EventHubSink  # noqa: E402
from shared.sync.engine import windows  # noqa: E402
from shared.sync.streams import Stream, StreamContext  # noqa: E402
from tests.sandbox.flows import oura_tokens  # noqa: E402

UTC = timezone.utc
NOW = datetime(2026, 10, 1, tzinfo=UTC)


@dataclass
class Tape:
    """Provider answers as raw bytes, keyed by request; recorded once, replayed many times."""

    answers: dict[str, bytes] = field(default_factory=dict)

    @staticmethod
    def key(method: str, url: str, payload: Any) -> str:
        return json.dumps([method, url.split("://", 1)[1].split("/", 1)[1], payload], sort_keys=True, default=str)


class RecordingApi:
    """A bearer `ProviderApi` over real HTTP that keeps every answer's bytes."""

    def __init__(self, token: str, tape: Tape) -> None:
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.tape = tape
        self.calls = 0

    def get_json(self, url: str, params: Any = None) -> Any:
        return self._call("GET", url, params=dict(params or {}))

    def post_json(self, url: str, body: Any) -> Any:
        return self._call("POST", url, json=body)

    def _call(self, method: str, url: str, **kwargs: Any) -> Any:
        self.calls += 1
        response = self.session.request(method, url, timeout=120, **kwargs)
        response.raise_for_status()
        self.tape.answers[Tape.key(method, url, kwargs.get("params") or kwargs.get("json"))] = response.content
        return json.loads(response.content)


class ReplayApi:
    """A `ProviderApi` answering from a tape, decoding each answer with `decode` (as the worker does)."""

    def __init__(self, tape: Tape, decode: Callable[[bytes], Any]) -> None:
        self.tape = tape
        self.decode = decode
        self.calls = 0
        self.bytes = 0

    def get_json(self, url: str, params: Any = None) -> Any:
        return self._answer("GET", url, dict(params or {}))

    def post_json(self, url: str, body: Any) -> Any:
        return self._answer("POST", url, body)

    def _answer(self, method: str, url: str, payload: Any) -> Any:
        self.calls += 1
        raw = self.tape.answers[Tape.key(method, url, payload)]
        self.bytes += len(raw)
        return self.decode(raw)


@dataclass(frozen=True)
class Workload:
    """Streams of one provider over a time range, read with one token."""

    name: str
    streams: Sequence[Stream]
    start: datetime
    end: datetime
    api_path: str
    source: str


def read_all(workload: Workload, api: Any, base_url: str, sink: Any | None) -> int:
    """Run every stream's windows and pages; send records to `sink` when given; return the points."""
    context = StreamContext(api, f"{base_url}/{workload.api_path}", "personicle-bench", workload.source)
    points = 0
    for stream in workload.streams:
        for start, end in windows(workload.start, workload.end, stream.max_window):
            token = None
            while True:
                page = stream.fetch_page(context, start, end, token)
                points += sum(len(r.points) if isinstance(r, DatastreamPacket) else 1 for r in page.records)
                if sink is not None and page.records:
                    sink.send(page.records)
                token = page.next_page_token
                if not token:
                    break
    return points


def measure(workload: Workload, tape: Tape, base_url: str, decode: Callable[[bytes], Any], with_sink: bool,
            repeat: int) -> tuple[int, float, int]:
    """Return (points, best CPU seconds, answer bytes) of replaying the workload."""
    best, points, size = float("inf"), 0, 0
    for _ in range(repeat):
        api = ReplayApi(tape, decode)
        sink = EventHubSink(settings("json"), producer_factory=NullProducer) if with_sink else None
        gc.collect()
        started = time.process_time()
        points = read_all(workload, api, base_url, sink)
        best = min(best, time.process_time() - started)
        size = api.bytes
    return points, best, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    server = SandboxServer(port=0)
    server.start()
    try:
        health_state(server.state.extras).configure(now=NOW.isoformat())
        oura_state(server.state.extras).configure(now=NOW.isoformat())
        by_name = {s.name: s for s in FITBIT_STREAMS}
        workloads = [
            (Workload("1 Hz heart rate, 1 day (fitbit, alice)", [by_name["heart_rate"]], NOW - timedelta(days=1), NOW,
                      "googlehealth", "fitbit"), "alice", "google"),
            (Workload("per-minute steps, 365 days (fitbit, bob)", [by_name["steps"]], NOW - timedelta(days=365), NOW,
                      "googlehealth", "fitbit"), "bob", "google"),
            (Workload("every Oura collection, 365 days (bob)", OURA_STREAMS, NOW - timedelta(days=365), NOW,
                      "oura", "oura"), "bob", "oura"),
        ]
        print(f"{'workload':44} {'points':>9} {'MB':>6} {'decoder':>8} {'decode+map/s':>13} {'worker/s':>10}")
        for workload, user, oauth in workloads:
            tape = Tape()
            if oauth == "google":
                grant = server.state.grants.create_grant("google", "sandbox-fitbit-client", user, FITBIT_SCOPES)
                token = server.state.grants.issue_access_token(grant, google_access_token(), 86400)
            else:
                token = oura_tokens(server.url, user, " ".join(OURA_SCOPES))["access_token"]
            read_all(workload, RecordingApi(token, tape), server.url, None)
            for label, decode in (("json", json.loads), ("fastjson", fast_loads)):
                points, mapped, size = measure(workload, tape, server.url, decode, False, args.repeat)
                _, whole, _ = measure(workload, tape, server.url, decode, True, args.repeat)
                print(f"{workload.name:44} {points:9d} {size / 1e6:6.1f} {label:>8} {points / mapped:13,.0f} "
                      f"{points / whole:10,.0f}", flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
