"""The download engine runs the `oura` streams against the sandbox: PostgreSQL cursors, the JSONL sink,
skipped and refused streams, rate-limit continuations and a revoked grant."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from devtools.sandbox import SandboxServer
from devtools.sandbox.providers.oura.knobs import oura_state
from shared.config import get_settings
from shared.crypto import get_keyring
from shared.jobs import DownloadJob
from shared.providers.base import TokenSet
from shared.providers.oura.streams import STREAMS as OURA_STREAMS
from shared.sink.jsonl import JsonlSink
from shared.store import connections as connection_store
from shared.store import cursors as cursor_store
from shared.sync.assemble import build_engine
from shared.sync.engine import SyncOutcome
from tests.providers.oura.sandbox_view import ALL_SCOPES, NOW, NOW_TIME
from tests.sandbox.flows import oura_tokens

ALL = {stream.name for stream in OURA_STREAMS}


class Harness:
    """An engine wired to the sandbox, the test database and a JSONL sink in a temporary folder."""

    def __init__(self, server: SandboxServer, database: Any, folder: Path) -> None:
        self.server = server
        self.database = database
        base = get_settings()
        endpoints = replace(base.providers["oura"].endpoints, api_url=f"{server.url}/oura",
                            token_url=f"{server.url}/oura/oauth/token")
        self.settings = replace(base.with_provider("oura", endpoints=endpoints), sync_backfill_days=30,
                                sync_recent_days=30, local_sink_dir=str(folder), sink_kind="jsonl")
        self.sink = JsonlSink(self.settings)
        self.queued: list[tuple[DownloadJob, int]] = []

    def knobs(self, **changes: Any) -> None:
        """Change the sandbox's Oura knobs."""
        oura_state(self.server.state.extras).configure(**changes)

    def connect(self, user: str = "alice", scope: str = ALL_SCOPES) -> uuid.UUID:
        """Connect `user` through the sandbox's OAuth flow and store the connection."""
        answer = oura_tokens(self.server.url, user, scope)
        granted = tuple(self.server.state.grants.grants("oura", user)[-1].scopes)
        tokens = TokenSet(answer["access_token"], answer["refresh_token"], answer["expires_in"], granted)
        with self.database.transaction() as cursor:
            found = connection_store.save_connected(
                cursor, get_keyring(), user_id=f"user-{user}", provider="oura", provider_user_id=f"oura-{user}",
                scopes=granted, tokens=tokens, default_expires_in=86400, now=NOW_TIME)
        return found.id

    def run(self, connection_id: uuid.UUID, reason: str = "backfill", streams: tuple[str, ...] = ()) -> SyncOutcome:
        """Run one job with the clock at NOW."""
        engine = build_engine(database=self.database, settings=self.settings, keyring=get_keyring(), sink=self.sink,
                              enqueue=lambda job, delay: self.queued.append((job, delay)),
                              clock=lambda: NOW_TIME, monotonic=time.monotonic)
        return engine.run(DownloadJob(connection_id, "oura", reason, streams))

    def lines(self) -> list[dict[str, Any]]:
        """Return every message the sink wrote."""
        out = []
        for path in Path(self.settings.local_sink_dir).glob("*.jsonl"):
            out += [json.loads(line) for line in path.read_text().splitlines()]
        return out

    def cursors(self, connection_id: uuid.UUID) -> dict[str, Any]:
        """Return the connection's stream cursors."""
        with self.database.transaction() as cursor:
            return cursor_store.load_cursors(cursor, connection_id)


@pytest.fixture
def harness(sandbox_server: SandboxServer, database: Any, tmp_path: Path) -> Harness:
    """Return a harness over a reset sandbox whose data ends at NOW, and an empty database."""
    sandbox_server.state.reset()
    made = Harness(sandbox_server, database, tmp_path)
    made.knobs(now=NOW)
    return made


def test_a_backfill_syncs_every_stream_with_one_call_each_and_advances_the_cursors(harness: Harness) -> None:
    connection = harness.connect()
    harness.server.state.counters.clear()
    outcome = harness.run(connection)
    counters = harness.server.state.counters.snapshot()
    lines = harness.lines()

    assert set(outcome.streams_done) == ALL and not outcome.streams_failed and outcome.continuation is None
    assert outcome.api_calls == sum(n for name, n in counters.items() if name.startswith("oura.")) == 12 + 1
    assert counters["oura.heartrate"] == 2  # 30 days of heart rate: one request, one extra page
    assert {line["kind"] for line in lines} == {"event", "datastream"} and len(lines) >= outcome.records_sent
    assert {line["partition_key"] for line in lines} == {"user-alice"}
    assert {c.synced_until for c in harness.cursors(connection).values()} == {NOW_TIME}


def test_an_incremental_sync_re_reads_the_overlap_and_sends_no_unchanged_event_again(harness: Harness) -> None:
    connection = harness.connect("bob")
    harness.run(connection)
    first = {line["record_id"] for line in harness.lines() if line["kind"] == "event"}
    outcome = harness.run(connection, reason="incremental")
    events = [line["record_id"] for line in harness.lines() if line["kind"] == "event"]

    assert set(outcome.streams_done) == ALL and outcome.api_calls > 0
    assert set(events) == first and len(events) == len(first)  # the overlap was read, its events not sent again


def test_streams_outside_the_grant_are_skipped_and_refused_ones_recorded(harness: Harness) -> None:
    connection = harness.connect("carol", "daily heartrate")
    outcome = harness.run(connection)

    assert set(outcome.streams_done) == {"heartrate", "sleep", "daily_sleep", "daily_readiness", "daily_activity"}
    assert {name for name, message in outcome.streams_failed.items() if "not granted" in message} == {
        "workout", "session", "daily_spo2"}
    assert {name for name, message in outcome.streams_failed.items() if "permission" in message} == {
        "daily_stress", "daily_resilience", "daily_cardiovascular_age", "vo2_max"}
    assert harness.cursors(connection)["daily_stress"].synced_until is None


def test_an_outdated_app_stops_only_its_stream(harness: Harness) -> None:
    connection = harness.connect()
    harness.knobs(outdated_app="session")
    outcome = harness.run(connection)

    assert outcome.streams_failed == {"session": "session: the provider refused the request (HTTP 426)"}
    assert set(outcome.streams_done) == ALL - {"session"}


def test_a_rate_limit_ends_the_job_with_a_delayed_continuation(harness: Harness) -> None:
    connection = harness.connect()
    harness.knobs(rate_limit_per_window=4)
    outcome = harness.run(connection)
    (follow_up, delay), = harness.queued

    assert outcome.continuation == follow_up and follow_up.reason == "continuation"
    assert outcome.streams_done == ["heartrate", "sleep", "daily_sleep"]  # heart rate took two of the four calls
    assert set(follow_up.streams) == ALL - set(outcome.streams_done)
    assert 1 < delay <= 302  # Retry-After, plus one second
    harness.knobs(rate_limit_per_window=0)
    rest = harness.run(connection, reason="continuation", streams=follow_up.streams)
    assert set(rest.streams_done) == set(follow_up.streams)


def test_a_grant_revoked_mid_sync_marks_the_connection_for_reauthorisation(harness: Harness) -> None:
    connection = harness.connect()
    harness.knobs(revoke_after_calls=3)
    outcome = harness.run(connection)
    with harness.database.transaction() as cursor:
        status = connection_store.get_connection(cursor, connection).status

    assert outcome.reauth_required and outcome.streams_done == ["heartrate", "sleep"] and status == "needs_reauth"
