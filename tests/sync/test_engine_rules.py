"""The engine's rules with fake streams, an in-memory store and sink: no PostgreSQL, no HTTP."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from shared.config import load_settings
from shared.contract.records import DatastreamPacket, Point
from shared.errors import (
    JobError,
    ProviderRejected,
    RateLimited,
    ReauthRequired,
    RecordValidationError,
    ScopeMissing,
    SinkError,
)
from shared.jobs import DownloadJob, Resume
from shared.providers.base import Endpoints, Provider
from shared.store.connections import Connection
from shared.store.cursors import StreamCursor
from shared.sync.engine import SyncEngine
from shared.sync.streams import Page, Stream, StreamContext
from shared.sync.sync_store import SyncState

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
CONNECTION = uuid.UUID("00000000-0000-0000-0000-000000000001")
STEPS = "com.personicle.individual.datastreams.step.count"
SETTINGS = {
    "AzureWebJobsStorage": "UseDevelopmentStorage=true",
    "POSTGRES_DSN": "host=127.0.0.1 dbname=unused",
    "TOKEN_ENCRYPTION_KEYS": "k1:" + base64.b64encode(bytes(32)).decode(),
    "PERSONICLE_OIDC_ISSUER": "https://issuer.example",
    "PERSONICLE_OIDC_AUDIENCE": "personicle",
    "PUBLIC_BASE_URL": "https://connect.example",
    "RETURN_TO_ALLOWLIST": "https://app.example",
    "SYNC_BACKFILL_DAYS": "10",
    "SYNC_RECENT_DAYS": "10",  # the whole history in the first pass; the history rules set it lower
    "SYNC_OVERLAP_MINUTES": "120",
    "SYNC_TIME_BUDGET_SECONDS": "100",
    "SYNC_INTERVAL_MINUTES": "60",
}


@dataclass
class MemoryStore:
    """`SyncStore` in memory: one connection, its cursors, its lease, and what the engine recorded.

    `on_hold` runs each time the engine asks whether it still holds the lease (before delivering a page),
    so a test can disconnect or reconnect the connection at that moment.
    """

    connection: Connection | None
    cursors: dict[str, StreamCursor] = field(default_factory=dict)
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    finished: list[tuple[bool, str | None, datetime]] = field(default_factory=list)
    lease: tuple[uuid.UUID, datetime] | None = None
    leases_taken: int = 0
    on_hold: Callable[[MemoryStore], None] | None = None

    def load(self, connection_id: uuid.UUID) -> SyncState | None:
        if self.connection is None or self.connection.id != connection_id:
            return None
        return SyncState(self.connection, dict(self.cursors))

    def acquire_lease(self, connection_id: uuid.UUID, holder: uuid.UUID, now: datetime, until: datetime) -> bool:
        if self.load(connection_id) is None or self.connection.status != "active":
            return False
        if self.lease is not None and self.lease[1] > now:
            return False
        self.lease = (holder, until)
        self.leases_taken += 1
        return True

    def release_lease(self, connection_id: uuid.UUID, holder: uuid.UUID) -> None:
        if self.lease is not None and self.lease[0] == holder:
            self.lease = None

    @contextmanager
    def holding_lease(self, connection_id: uuid.UUID, holder: uuid.UUID) -> Iterator[bool]:
        if self.on_hold is not None:
            self.on_hold(self)
        yield (self.connection is not None and self.connection.status == "active"
               and self.lease is not None and self.lease[0] == holder)

    def disconnect(self) -> None:
        """What DELETE /api/connections/{provider} does to the row: revoked, lease cleared."""
        self.connection = replace(self.connection, status="revoked")
        self.lease = None

    def reconnect(self, account: str) -> None:
        """What a reconnect does to the row: active again, lease cleared, cursors reset for another account."""
        if account != self.connection.provider_user_id:
            self.cursors.clear()
        self.connection = replace(self.connection, status="active", provider_user_id=account)
        self.lease = None

    def advance_cursor(self, connection_id: uuid.UUID, stream: str, synced_until: datetime, now: datetime, *,
                       opens_history: tuple[datetime, datetime] | None = None,
                       last_record_at: datetime | None = None) -> None:
        old = self.cursors.get(stream)
        until = max(synced_until, old.synced_until) if old and old.synced_until else synced_until
        if old is None or old.synced_until is None:
            history_from, goal = opens_history or (None, None)
            moved = now if opens_history else None
        else:
            history_from, goal, moved = old.history_from, old.history_goal, old.history_moved_at
        self.cursors[stream] = StreamCursor(stream, until, now, "ok", None, history_from, goal, moved,
                                            _latest(old.last_record_at if old else None, last_record_at))

    def extend_history(self, connection_id: uuid.UUID, stream: str, window_start: datetime, window_end: datetime,
                       now: datetime, *, last_record_at: datetime | None = None) -> bool:
        old = self.cursors.get(stream)
        if old is None or old.history_from is None or not window_start < old.history_from <= window_end:
            return False
        self.cursors[stream] = replace(old, history_from=window_start, history_moved_at=now,
                                       last_record_at=_latest(old.last_record_at, last_record_at))
        return True

    def record_stream_problem(self, connection_id: uuid.UUID, stream: str, status: str, message: str,
                              now: datetime) -> None:
        self.problems.append((stream, status, message))

    def mark_service_ended(self, connection_id: uuid.UUID, message: str, now: datetime) -> None:
        self.ended.append(message)

    def record_sync_finished(self, connection_id: uuid.UUID, succeeded: bool, error: str | None, now: datetime,
                             next_sync_at: datetime) -> None:
        self.finished.append((succeeded, error, next_sync_at))


def _latest(*times: datetime | None) -> datetime | None:
    known = [t for t in times if t is not None]
    return max(known) if known else None


class MemorySink:
    """Keeps what it was sent; fails on the send numbered `fail_on` (1-based) when set."""

    def __init__(self, fail_on: int | None = None) -> None:
        self.batches: list[Sequence[Any]] = []
        self.fail_on = fail_on

    def send(self, records: Sequence[Any]) -> None:
        if self.fail_on is not None and len(self.batches) + 1 == self.fail_on:
            raise SinkError("the hub did not confirm")
        self.batches.append(list(records))


class CountingApi:
    """Stands in for the provider HTTP API; the fake streams below call it once per page."""

    def __init__(self) -> None:
        self.calls = 0

    def get_json(self, url: str, params: Any = None) -> Any:
        self.calls += 1
        return {}

    def post_json(self, url: str, body: Any) -> Any:
        self.calls += 1
        return {}


def packet(context: StreamContext, at: datetime) -> DatastreamPacket:
    return DatastreamPacket(STEPS, context.individual_id, context.source, "count", None, (Point(at, 1),))


def paged_stream(name: str, *, pages: int = 1, window: timedelta = timedelta(days=4), scopes: tuple[str, ...] = (),
                 fail: Exception | None = None, seen: list | None = None) -> Stream:
    """A stream whose every window has `pages` pages of one packet each; `fail` is raised on its first call."""

    def fetch(context: StreamContext, start: datetime, end: datetime, token: str | None) -> Page:
        context.api.get_json("https://provider.example/data")
        if fail is not None:
            raise fail
        index = int(token or 0)
        if seen is not None:
            seen.append((start, end, token))
        following = str(index + 1) if index + 1 < pages else None
        return Page((packet(context, start + timedelta(seconds=index)),), following)

    return Stream(name=name, scopes=scopes, max_window=window, fetch_page=fetch)


def provider_with(*streams: Stream, end_of_service: date | None = None) -> Provider:
    return Provider(
        name="fake", display_name="Fake", source="fake", settings_prefix="FAKE",
        endpoints=Endpoints("https://p.example/auth", "https://p.example/token", None, "https://p.example/api"),
        scopes=("read",), uses_pkce=False, identity=lambda settings, tokens, client: "someone",
        streams=lambda: streams, end_of_service_default=end_of_service)


def connection(status: str = "active", scopes: tuple[str, ...] = ("read",), provider: str = "fake") -> Connection:
    return Connection(CONNECTION, "user-1", provider, status, scopes, "someone", NOW - timedelta(days=30), None,
                      None, None, True)


@dataclass
class Rig:
    """An engine over the fakes, a controllable monotonic clock and a captured queue."""

    provider: Provider
    store: MemoryStore
    sink: MemorySink = field(default_factory=MemorySink)
    api: CountingApi = field(default_factory=CountingApi)
    queued: list[tuple[DownloadJob, int]] = field(default_factory=list)
    elapsed: list[float] = field(default_factory=lambda: [0.0])
    tick: float = 0.0
    settings: dict[str, str] = field(default_factory=dict)

    def engine(self) -> SyncEngine:
        settings = load_settings({**SETTINGS, **self.settings})
        settings = replace(settings, providers={**settings.providers, "fake": _fake_settings(self.provider)})

        def monotonic() -> float:
            self.elapsed[0] += self.tick
            return self.elapsed[0]

        return SyncEngine(providers={"fake": self.provider}.get, store=self.store,
                          api_for=lambda provider, connection: self.api, sink=self.sink,
                          enqueue=lambda job, delay: self.queued.append((job, delay)), settings=settings,
                          clock=lambda: NOW, monotonic=monotonic)

    def run(self, reason: str = "backfill", streams: tuple[str, ...] = (), **job: Any):
        return self.engine().run(DownloadJob(CONNECTION, "fake", reason, streams, **job))


def _fake_settings(provider: Provider) -> Any:
    from shared.providers.base import ProviderSettings

    return ProviderSettings("id", "secret", provider.endpoints, provider.end_of_service_default)


def rig(*streams: Stream, store: MemoryStore | None = None, settings: dict[str, str] | None = None,
        **provider: Any) -> Rig:
    return Rig(provider_with(*streams, **provider), store or MemoryStore(connection()), settings=settings or {})


def test_a_backfill_reads_from_the_backfill_start_in_windows_oldest_first():
    seen: list = []
    setup = rig(paged_stream("steps", seen=seen))
    outcome = setup.run()
    starts = [start for start, _, _ in seen]
    assert starts == [NOW - timedelta(days=10) + timedelta(days=4 * n) for n in range(3)]
    assert seen[-1][1] == NOW
    assert outcome.streams_done == ["steps"] and outcome.records_sent == 3 and outcome.api_calls == 3
    assert setup.store.cursors["steps"].synced_until == NOW


def test_an_incremental_sync_rereads_the_overlap_and_a_continuation_does_not():
    cursor = StreamCursor("steps", NOW - timedelta(hours=5), NOW, "ok", None)
    for reason, first in (("incremental", NOW - timedelta(hours=7)), ("continuation", NOW - timedelta(hours=5))):
        seen: list = []
        rig(paged_stream("steps", seen=seen), store=MemoryStore(connection(), {"steps": cursor})).run(reason)
        assert seen[0][0] == first, reason


def test_every_page_of_a_window_is_read_before_its_cursor_moves():
    seen: list = []
    setup = rig(paged_stream("steps", pages=3, window=timedelta(days=20), seen=seen))
    setup.run()
    assert [token for _, _, token in seen] == [None, "1", "2"]
    assert len(setup.sink.batches) == 3 and setup.store.cursors["steps"].synced_until == NOW


def test_a_sink_failure_leaves_the_cursor_where_delivery_was_confirmed():
    setup = rig(paged_stream("steps"))
    setup.sink.fail_on = 2
    with pytest.raises(SinkError):
        setup.run()
    assert setup.store.cursors["steps"].synced_until == NOW - timedelta(days=6)  # after the first window only
    assert setup.store.finished == []


def test_the_time_budget_ends_the_job_between_windows_with_a_continuation_of_the_rest():
    setup = rig(paged_stream("steps"), paged_stream("sleep"))
    setup.tick = 40.0  # every reading of the clock advances 40 s: two windows fit in the 100 s budget
    outcome = setup.run()
    assert outcome.continuation is not None and outcome.continuation.reason == "continuation"
    assert outcome.continuation.streams == ("steps", "sleep")
    assert setup.queued == [(outcome.continuation, 0)]
    assert setup.store.cursors["steps"].synced_until == NOW - timedelta(days=2)
    assert setup.store.finished == []


@pytest.mark.parametrize("retry_after, low, high", [
    (30.0, 31, 31), (None, 61, 121), (float("inf"), 61, 121), (float("nan"), 61, 121), (1e308, 86400, 86400),
    (-5.0, 1, 1),
], ids=["told", "default", "infinite", "nan", "huge", "negative"])
def test_a_rate_limit_queues_a_delayed_continuation(retry_after, low, high):
    limited = RateLimited("fake", "slow down", retry_after=retry_after)
    setup = rig(paged_stream("steps"), paged_stream("sleep", fail=limited))
    outcome = setup.run()
    assert outcome.streams_done == ["steps"] and outcome.continuation.streams == ("sleep",)
    assert low <= setup.queued[0][1] <= high


@pytest.mark.parametrize("error, status, words", [
    (ScopeMissing("fake", "no", status=403), "skipped", "refused access"),
    (ProviderRejected("fake", "bad", status=400), "error", "HTTP 400"),
], ids=["scope-missing", "rejected"])
def test_a_refused_stream_is_recorded_and_the_others_go_on(error, status, words):
    setup = rig(paged_stream("steps", fail=error), paged_stream("sleep"))
    outcome = setup.run()
    assert outcome.streams_done == ["sleep"] and "steps" in outcome.streams_failed
    assert setup.store.problems[0][:2] == ("steps", status) and words in setup.store.problems[0][2]
    assert "steps" not in setup.store.cursors
    succeeded, message, next_sync = setup.store.finished[0]
    assert succeeded and words in message and next_sync == NOW + timedelta(minutes=60)


def test_a_stream_whose_scope_was_not_granted_is_skipped_without_a_call():
    setup = rig(paged_stream("steps", scopes=("activity",)), paged_stream("sleep"))
    outcome = setup.run()
    assert setup.api.calls == 3 and outcome.streams_failed["steps"].endswith("was not granted")


def test_an_invalid_record_stops_its_stream_and_names_the_field():
    setup = rig(paged_stream("steps", fail=RecordValidationError("steps", "value", "not an integer")))
    outcome = setup.run()
    assert "field value" in outcome.streams_failed["steps"] and outcome.streams_done == []


def test_a_dead_grant_stops_the_job_without_finishing_it():
    setup = rig(paged_stream("steps", fail=ReauthRequired("fake", "gone", status=401)), paged_stream("sleep"))
    outcome = setup.run()
    assert outcome.reauth_required and outcome.streams_done == [] and setup.store.finished == []


def test_a_provider_past_its_end_of_service_is_marked_without_a_call():
    setup = rig(paged_stream("steps"), end_of_service=NOW.date())
    outcome = setup.run()
    assert outcome.service_ended and setup.api.calls == 0 and "stopped its service" in setup.store.ended[0]


def test_gone_answers_from_an_ending_provider_mark_the_connection():
    setup = rig(paged_stream("steps", fail=ProviderRejected("fake", "gone", status=410)),
                end_of_service=NOW.date() + timedelta(days=30))
    outcome = setup.run()
    assert outcome.service_ended and "HTTP 410" in setup.store.ended[0] and setup.store.finished == []


def test_a_job_window_narrows_the_range_read():
    seen: list = []
    setup = rig(paged_stream("steps", seen=seen))
    setup.run("manual", window_start=NOW - timedelta(days=2), window_end=NOW - timedelta(days=1))
    assert seen == [(NOW - timedelta(days=2), NOW - timedelta(days=1), None)]


@pytest.mark.parametrize("store, job, message", [
    (MemoryStore(None), {}, "unknown connection"),
    (MemoryStore(connection(status="revoked")), {}, "the connection is revoked"),
    (MemoryStore(connection(provider="other")), {}, "does not match"),
    (MemoryStore(connection()), {"streams": ("nope",)}, "unknown streams: nope"),
], ids=["unknown", "revoked", "other-provider", "unknown-stream"])
def test_undeliverable_jobs_are_refused(store, job, message):
    setup = rig(paged_stream("steps"), store=store)
    with pytest.raises(JobError, match=message):
        setup.run(**job)
    assert setup.api.calls == 0 and setup.sink.batches == []


def test_a_job_for_an_unknown_provider_is_refused():
    setup = rig(paged_stream("steps"))
    engine = setup.engine()
    with pytest.raises(JobError, match="unknown provider"):
        engine.run(DownloadJob(CONNECTION, "nobody", "backfill"))


def test_a_job_finding_its_connection_leased_is_deferred_without_a_call():
    store = MemoryStore(connection(), lease=(uuid.uuid4(), NOW + timedelta(minutes=5)))
    setup = rig(paged_stream("steps"), store=store)
    outcome = setup.run("incremental")
    assert outcome.deferred and setup.api.calls == 0 and setup.sink.batches == [] and store.finished == []
    job, delay = setup.queued[0]
    assert job == DownloadJob(CONNECTION, "fake", "incremental") and 60 <= delay <= 120


def test_an_expired_lease_is_taken_over_and_released_at_the_end():
    store = MemoryStore(connection(), lease=(uuid.uuid4(), NOW - timedelta(seconds=1)))
    setup = rig(paged_stream("steps"), store=store)
    outcome = setup.run()
    assert not outcome.deferred and outcome.streams_done == ["steps"]
    assert store.leases_taken == 1 and store.lease is None


@pytest.mark.parametrize("tick", [0.0, 200.0], ids=["history-job", "budget-continuation"])
def test_follow_up_jobs_are_queued_only_after_the_lease_is_released(tick):
    store = MemoryStore(connection())
    setup = rig(paged_stream("steps", pages=3), store=store, settings={"SYNC_RECENT_DAYS": "3"})
    setup.tick = tick  # 200 s a step: the budget ends the job after its first page, with a continuation
    leased_when_queued = []
    engine = replace(setup.engine(), enqueue=lambda job, delay: (leased_when_queued.append(store.lease is not None),
                                                                 setup.queued.append((job, delay))))

    outcome = engine.run(DownloadJob(CONNECTION, "fake", "backfill"))

    follow_up = outcome.continuation if tick else outcome.history_job
    assert follow_up is not None
    assert [job for job, _ in setup.queued] == [follow_up]
    assert leased_when_queued == [False]


def test_the_lease_is_released_when_the_job_fails():
    store = MemoryStore(connection())
    setup = rig(paged_stream("steps"), store=store)
    setup.sink.fail_on = 1
    with pytest.raises(SinkError):
        setup.run()
    assert store.lease is None
    setup.sink.fail_on = None
    assert setup.run().streams_done == ["steps"]  # the queue's retry is not deferred


def test_the_lease_outlives_the_function_timeout():
    import json
    from pathlib import Path

    timeout = json.loads((Path(__file__).resolve().parents[2] / "host.json").read_text())["functionTimeout"]
    hours, minutes, seconds = (int(part) for part in timeout.split(":"))
    settings = load_settings({key: value for key, value in SETTINGS.items()})
    assert settings.sync_lease_seconds > hours * 3600 + minutes * 60 + seconds > settings.sync_time_budget_seconds


def _disconnect_on(count: int) -> Callable[[MemoryStore], None]:
    checks = []

    def on_hold(store: MemoryStore) -> None:
        checks.append(1)
        if len(checks) == count:
            store.disconnect()

    return on_hold


def test_nothing_is_delivered_once_the_connection_is_disconnected():
    store = MemoryStore(connection(), on_hold=_disconnect_on(2))
    setup = rig(paged_stream("steps", pages=3, window=timedelta(days=20)), store=store)
    outcome = setup.run()
    assert outcome.superseded and len(setup.sink.batches) == 1 and setup.api.calls == 2
    assert setup.queued == [] and store.finished == [] and "steps" not in store.cursors


def test_a_reconnect_stops_the_job_of_the_previous_link():
    def reconnect(store: MemoryStore) -> None:
        store.reconnect("someone-else")

    store = MemoryStore(connection(), on_hold=reconnect)
    setup = rig(paged_stream("steps"), store=store)
    outcome = setup.run()
    assert outcome.superseded and setup.sink.batches == [] and store.lease is None


def test_the_budget_is_checked_between_pages_and_the_continuation_resumes_at_the_page():
    seen: list = []
    setup = rig(paged_stream("steps", pages=4, window=timedelta(days=20), seen=seen), paged_stream("sleep"))
    setup.tick = 40.0
    outcome = setup.run()
    resume = outcome.continuation.resume
    assert [token for _, _, token in seen] == [None, "1"]
    assert resume == Resume("steps", NOW - timedelta(days=10), NOW, "2", 2)
    assert outcome.continuation.streams == ("steps", "sleep") and "steps" not in setup.store.cursors
    job = DownloadJob.from_json(outcome.continuation.to_json())
    assert job == outcome.continuation
    seen.clear()
    setup.tick = 0.0
    setup.queued.clear()
    final = setup.engine().run(job)
    assert [token for _, _, token in seen] == ["2", "3"]  # steps resumed at its page
    assert final.continuation is None and setup.store.cursors["steps"].synced_until == NOW
    assert final.streams_done == ["steps", "sleep"]


def _looping_stream(tokens: Callable[[str | None], str | None]) -> Stream:
    """A stream whose paging never ends by itself (it fails the test after 100 pages)."""

    def fetch(context: StreamContext, start: datetime, end: datetime, token: str | None) -> Page:
        context.api.get_json("https://provider.example/data")
        assert context.api.calls < 100, "the engine kept following page tokens"
        return Page((packet(context, start),), tokens(token))

    return Stream(name="steps", scopes=(), max_window=timedelta(days=20), fetch_page=fetch)


@pytest.mark.parametrize("tokens, calls, words", [
    (lambda token: "same", 2, "page token repeated after 2 pages"),
    (lambda token: {None: "a", "a": "b", "b": "a"}[token], 3, "page token repeated after 3 pages"),
    (lambda token: str(int(token or 0) + 1), 5, "more than 5 pages in one window"),
], ids=["repeated", "cycle", "endless"])
def test_a_paging_loop_stops_the_stream_without_moving_its_cursor(tokens, calls, words):
    setup = rig(_looping_stream(tokens), paged_stream("sleep"))
    engine = setup.engine()
    engine.settings = replace(engine.settings, sync_max_pages_per_window=5)
    outcome = engine.run(DownloadJob(CONNECTION, "fake", "backfill"))
    assert setup.api.calls == calls + 3 and "steps" not in setup.store.cursors
    assert words in outcome.streams_failed["steps"] and outcome.streams_done == ["sleep"]
    assert setup.store.problems == [("steps", "error", outcome.streams_failed["steps"])]


def test_the_page_cap_spans_the_jobs_of_a_window():
    setup = rig(_looping_stream(lambda token: str(int(token or 0) + 1)))
    engine = setup.engine()
    engine.settings = replace(engine.settings, sync_max_pages_per_window=5)
    resume = Resume("steps", NOW - timedelta(days=10), NOW, "4", 4)
    outcome = engine.run(DownloadJob(CONNECTION, "fake", "continuation", ("steps",), resume=resume))
    assert setup.api.calls == 1 and "more than 5 pages" in outcome.streams_failed["steps"]


# Recent first, then the history newest to oldest.

RECENT_FIRST = {"SYNC_RECENT_DAYS": "3"}  # of a 10-day backfill


def stream_failing_before(name: str, when: datetime, error: Exception, seen: list | None = None) -> Stream:
    """A one-page stream that raises `error` for windows starting before `when` (its history)."""
    ordinary = paged_stream(name, seen=seen)

    def fetch(context: StreamContext, start: datetime, end: datetime, token: str | None) -> Page:
        if start < when:
            context.api.get_json("https://provider.example/data")
            raise error
        return ordinary.fetch_page(context, start, end, token)

    return Stream(name=name, scopes=(), max_window=ordinary.max_window, fetch_page=fetch)


def first_pass(*streams: Stream) -> tuple[Rig, DownloadJob]:
    """Run a connection's first job recent-first; return the rig and the history job it queued."""
    setup = rig(*streams, settings=RECENT_FIRST)
    setup.run()
    history, delay = setup.queued.pop()
    assert history.reason == "history" and delay == 0
    return setup, history


def test_a_first_sync_reads_the_recent_days_of_every_stream_then_queues_their_history():
    seen: list = []
    setup = rig(paged_stream("steps", seen=seen), paged_stream("sleep"), settings=RECENT_FIRST)
    outcome = setup.run()
    assert seen == [(NOW - timedelta(days=3), NOW, None)]
    steps = setup.store.cursors["steps"]
    assert (steps.synced_until, steps.history_from, steps.history_goal) == (
        NOW, NOW - timedelta(days=3), NOW - timedelta(days=10))
    assert steps.last_record_at == NOW - timedelta(days=3)
    assert setup.store.finished[0][0]  # the recent pass is a finished sync: the user sees data now
    assert setup.queued == [(DownloadJob(CONNECTION, "fake", "history", ("steps", "sleep")), 0)]
    assert outcome.history_job == setup.queued[0][0]


def test_the_history_fills_newest_to_oldest_over_all_streams_window_by_window():
    order: list = []
    setup, history = first_pass(paged_stream("steps", seen=order),
                                paged_stream("sleep", window=timedelta(days=2), seen=order))
    order.clear()
    outcome = setup.engine().run(history)
    ends = [end for _, end, _ in order]
    assert ends == sorted(ends, reverse=True) and len(order) == 2 + 4
    for name in ("steps", "sleep"):
        assert setup.store.cursors[name].history_from == NOW - timedelta(days=10)
        assert setup.store.cursors[name].synced_until == NOW  # the forward cursor is not touched
    assert sorted(outcome.streams_done) == ["sleep", "steps"] and outcome.continuation is None
    assert setup.queued == [] and len(setup.store.finished) == 1  # a history job records no sync


def test_a_sink_failure_in_the_history_keeps_it_at_the_last_confirmed_window_and_the_retry_resumes_there():
    seen: list = []
    setup, history = first_pass(paged_stream("steps", seen=seen))
    seen.clear()
    setup.sink.fail_on = len(setup.sink.batches) + 2  # the second window of the history
    with pytest.raises(SinkError):
        setup.engine().run(history)
    assert setup.store.cursors["steps"].history_from == NOW - timedelta(days=7)
    setup.sink.fail_on = None
    seen.clear()
    setup.engine().run(history)  # the queue runs the same message again
    assert [(start, end) for start, end, _ in seen] == [(NOW - timedelta(days=10), NOW - timedelta(days=7))]
    assert setup.store.cursors["steps"].history_from == NOW - timedelta(days=10)


def test_the_time_budget_ends_a_history_job_with_a_history_continuation():
    setup, history = first_pass(paged_stream("steps"), paged_stream("sleep"))
    setup.tick = 40.0  # two windows fit in the 100 s budget
    outcome = setup.engine().run(history)
    assert outcome.continuation == DownloadJob(CONNECTION, "fake", "history", ("steps", "sleep"))
    assert setup.queued == [(outcome.continuation, 0)]
    assert [setup.store.cursors[n].history_from for n in ("steps", "sleep")] == [NOW - timedelta(days=7)] * 2


def test_a_rate_limit_in_the_history_queues_a_delayed_history_continuation():
    limited = RateLimited("fake", "slow down", retry_after=30.0)
    setup, history = first_pass(stream_failing_before("steps", NOW - timedelta(days=3), limited))
    outcome = setup.engine().run(history)
    assert outcome.continuation.reason == "history" and setup.queued == [(outcome.continuation, 31)]
    assert setup.store.cursors["steps"].history_from == NOW - timedelta(days=3)


def test_a_stream_refused_in_its_history_is_recorded_and_the_others_go_on():
    refused = ProviderRejected("fake", "bad", status=400)
    setup, history = first_pass(stream_failing_before("steps", NOW - timedelta(days=3), refused),
                                paged_stream("sleep"))
    outcome = setup.engine().run(history)
    assert outcome.streams_done == ["sleep"] and "HTTP 400" in outcome.streams_failed["steps"]
    assert setup.store.cursors["steps"].history_from == NOW - timedelta(days=3)
    assert setup.store.cursors["sleep"].history_from == NOW - timedelta(days=10)


@pytest.mark.parametrize("moved_ago, queued", [(timedelta(hours=1), False), (timedelta(days=2), True)],
                         ids=["chain-running", "chain-stalled"])
def test_a_scheduled_sync_takes_up_a_history_only_when_its_chain_stalled(moved_ago, queued):
    cursor = StreamCursor("steps", NOW - timedelta(hours=1), NOW, "ok", None, NOW - timedelta(days=5),
                          NOW - timedelta(days=10), NOW - moved_ago)
    setup = rig(paged_stream("steps"), store=MemoryStore(connection(), {"steps": cursor}), settings=RECENT_FIRST)
    setup.run("incremental")
    assert [job.reason for job, _ in setup.queued] == (["history"] if queued else [])


def test_a_stream_synced_before_history_was_tracked_gets_no_history_job():
    cursor = StreamCursor("steps", NOW - timedelta(hours=1), NOW, "ok", None)
    setup = rig(paged_stream("steps"), store=MemoryStore(connection(), {"steps": cursor}), settings=RECENT_FIRST)
    setup.run("backfill")
    assert setup.queued == [] and setup.store.cursors["steps"].history_from is None


@pytest.mark.parametrize("cursor_age, first", [
    (timedelta(hours=1), NOW - timedelta(days=3)),
    (timedelta(days=5), NOW - timedelta(days=5, hours=2)),
], ids=["recent-cursor", "older-cursor"])
def test_a_reconciliation_rereads_its_days_or_from_an_older_cursor(cursor_age, first):
    seen: list = []
    cursor = StreamCursor("steps", NOW - cursor_age, NOW, "ok", None)
    rig(paged_stream("steps", seen=seen), store=MemoryStore(connection(), {"steps": cursor})).run("reconcile")
    assert seen[0][0] == first and seen[-1][1] == NOW


def test_a_backfill_continuation_queues_the_history_of_every_stream_the_chain_opened():
    setup = rig(paged_stream("steps"), paged_stream("sleep"), settings=RECENT_FIRST)
    setup.tick = 60.0  # one window per job
    setup.run()
    continuation, _ = setup.queued.pop()
    setup.tick = 0.0
    setup.engine().run(continuation)
    assert setup.queued == [(DownloadJob(CONNECTION, "fake", "history", ("steps", "sleep")), 0)]


def test_a_history_another_job_moved_meanwhile_carries_on_from_where_it_is():
    seen: list = []
    setup, history = first_pass(paged_stream("steps", seen=seen))
    seen.clear()
    moved = setup.store.extend_history

    def racing(connection_id, stream, start, end, now, **options):  # another worker got there first
        setup.store.extend_history = moved
        moved(connection_id, stream, start, end, now)
        moved(connection_id, stream, start - timedelta(days=1), start, now)
        return False

    setup.store.extend_history = racing
    setup.engine().run(history)
    assert [start for start, _, _ in seen] == [NOW - timedelta(days=7), NOW - timedelta(days=10)]
    assert setup.store.cursors["steps"].history_from == NOW - timedelta(days=10)
