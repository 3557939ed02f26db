"""Helpers for engine tests: a connected account, an engine over the sandbox, the records delivered."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from shared.config import get_settings
from shared.crypto import get_keyring
from shared.errors import SinkError
from shared.jobs import DownloadJob
from shared.sink.jsonl import JsonlSink
from shared.sync.assemble import build_engine
from shared.sync.engine import SyncEngine
from tests.connect.conftest import connect, redirect_status

NOW = datetime(2026, 10, 1, tzinfo=timezone.utc)


def pin_sandbox_clock(sandbox, provider: str) -> None:
    """Make the provider imitation's data end at NOW, so every run sees the same history."""
    if provider == "google_fit":
        from devtools.sandbox.providers.google_fit.knobs import fit_state

        fit_state(sandbox.state.extras).configure(now=NOW.isoformat())
    elif provider == "oura":
        from devtools.sandbox.providers.oura.knobs import oura_state

        oura_state(sandbox.state.extras).configure(now=NOW.isoformat())
    elif provider == "whoop":
        from devtools.sandbox.providers.whoop.knobs import whoop_state

        whoop_state(sandbox.state.extras).configure(now=NOW.isoformat())
    elif provider == "withings":
        from devtools.sandbox.providers.withings.knobs import withings_state

        withings_state(sandbox.state.extras).configure(now=NOW.isoformat())
    else:
        from devtools.sandbox.providers.fitbit.knobs import health_state

        health_state(sandbox.state.extras).configure(now=NOW.isoformat())


def connect_account(sandbox, provider: str, user: str = "bob") -> uuid.UUID:
    """Connect the sandbox account of `user` through the real flow; return the connection id."""
    token = sandbox.state.oidc.mint(user)
    assert redirect_status(connect(token, provider, sandbox_user=user))["status"] == "connected"
    from shared.db import get_database

    with get_database().transaction() as cursor:
        cursor.execute("SELECT id FROM connections WHERE user_id = %s AND provider = %s", (user, provider))
        return uuid.UUID(str(cursor.fetchone()[0]))


class CrashAfterSend:
    """A sink that delivers, then fails as if the worker died before the cursor was written."""

    def __init__(self, sink: JsonlSink, crash_on: int) -> None:
        self.sink = sink
        self.crash_on = crash_on
        self.sends = 0

    def send(self, records) -> None:
        self.sink.send(records)
        self.sends += 1
        if self.sends == self.crash_on:
            raise SinkError("worker stopped after delivery, before the cursor was written")

    def close(self) -> None:
        self.sink.close()


@dataclass
class Harness:
    """An engine with a local sink in its own folder, a fixed clock and a captured job queue."""

    folder: Path
    backfill_days: int = 20
    recent_days: int = 3
    clock_at: datetime = NOW
    budget_seconds: int = 300
    monotonic: Any = time.monotonic
    queued: list = field(default_factory=list)
    sink: Any = None

    def __post_init__(self) -> None:
        self.settings = replace(get_settings(), sync_backfill_days=self.backfill_days, local_sink_dir=str(self.folder),
                                sync_time_budget_seconds=self.budget_seconds, sync_overlap_minutes=60,
                                sync_recent_days=self.recent_days)
        if self.sink is None:
            self.sink = JsonlSink(self.settings)

    def engine(self) -> SyncEngine:
        from shared.db import get_database

        return build_engine(database=get_database(), settings=self.settings, keyring=get_keyring(), sink=self.sink,
                            enqueue=lambda job, delay: self.queued.append((job, delay)),
                            clock=lambda: self.clock_at, monotonic=self.monotonic)

    def run(self, job: DownloadJob):
        return self.engine().run(job)

    def run_to_completion(self, job: DownloadJob, limit: int = 50):
        """Run a job and then every continuation it queues (ignoring their delays)."""
        outcomes = [self.run(job)]
        while self.queued and limit:
            follow_up, _ = self.queued.pop(0)
            outcomes.append(self.run(follow_up))
            limit -= 1
        return outcomes

    def record_ids(self) -> list[str]:
        """Every record id the sink wrote, in order, repeats included."""
        ids = []
        for path in sorted(self.folder.glob("*.jsonl")):
            ids.extend(json.loads(line)["record_id"] for line in path.read_text().splitlines())
        return ids

    def facts(self) -> set[tuple]:
        """What was delivered, independent of packaging: each event, and each datastream point.

        A re-read window may package the same points into other packets (other record ids);
        consumers store points by stream and time, so points are what must be complete.
        """
        found = set()
        for line in self.lines():
            body = line["body"]
            if line["kind"] == "event":
                found.add(("event", body["event_type"], body["start_time"], body["end_time"], body["parameters"]))
            else:
                for point in body["dataPoints"]:
                    when = point.get("timestamp") or (point["start_time"], point["end_time"])
                    found.add(("point", body["streamName"], when, point["value"]))
        return found

    def lines(self) -> list[dict]:
        """Every line the sink wrote."""
        return [json.loads(line) for path in sorted(self.folder.glob("*.jsonl"))
                for line in path.read_text().splitlines()]


def cursors(connection_id: uuid.UUID) -> dict[str, tuple]:
    """Return {stream: (synced_until, status, last_error)}."""
    from shared.db import get_database

    with get_database().transaction() as cursor:
        cursor.execute("SELECT stream, synced_until, status, last_error FROM sync_cursors WHERE connection_id = %s",
                       (str(connection_id),))
        return {row[0]: row[1:] for row in cursor.fetchall()}
