"""Run one DownloadJob: streams -> windows -> pages -> records -> sink -> cursor, within a time budget.

Guarantees: a stream's cursor moves only after the sink confirmed every record up to it (a crash
re-sends records with the same ids, never skips any); rate limits and the time budget end the job
with a continuation job; transient errors propagate so the queue retries and finally poisons. One
job per connection at a time (a lease; a job finding it held is deferred; the jobs a run queues for
its connection are sent only once it has released the lease, so another worker taking one at once
does not find the lease still held), and nothing is delivered once the connection was disconnected or
reconnected. A window's paging is bounded: repeated page
tokens and more than `SYNC_MAX_PAGES_PER_WINDOW` pages stop the stream.

Recent first: a stream's first sync reads only its last `SYNC_RECENT_DAYS` and opens its history
(`history_from`, down to a goal `SYNC_BACKFILL_DAYS` back); a `history` job then fills the history
newest to oldest over every stream, moving `history_from` back only after the sink confirmed a window.
"""

from __future__ import annotations

import logging
import math
import random
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from shared.clock import Clock
from shared.config import Settings
from shared.errors import JobError, ProviderRejected, RateLimited, ReauthRequired, RecordValidationError, ScopeMissing
from shared.http.errors import MAX_RETRY_AFTER_SECONDS
from shared.jobs import DownloadJob, Resume
from shared.providers.base import Provider
from shared.store.connections import Connection
from shared.store.cursors import StreamCursor
from shared.sync.deliveries import Deliveries, SendEverything
from shared.sync.history import latest_record_time
from shared.sync.history_phase import HistoryPhase, OutOfTime
from shared.sync.streams import ProviderApi, Stream, StreamContext
from shared.sync.sync_store import SyncStore

DEFAULT_RATE_LIMIT_DELAY = 60.0
DEFER_DELAY = 60.0
# A webhook job is a narrow, time-sensitive read: it tries again sooner.
WEBHOOK_DEFER_DELAY = 5.0
log = logging.getLogger(__name__)


class CountingApi(ProviderApi, Protocol):
    """A provider API that counts the calls it made."""

    calls: int


class RecordSink(Protocol):
    """Where records go; `send` returns once delivery is confirmed."""

    def send(self, records: Sequence[Any]) -> None:
        """Deliver `records` or raise SinkError."""


ApiFactory = Callable[[Provider, Connection], CountingApi]
Enqueue = Callable[[DownloadJob, int], Any]


@dataclass
class SyncOutcome:
    """What a job did (counts only, never data)."""

    records_sent: int = 0
    api_calls: int = 0
    streams_done: list[str] = field(default_factory=list)
    streams_failed: dict[str, str] = field(default_factory=dict)
    continuation: DownloadJob | None = None
    continuation_delay: int = 0
    history_job: DownloadJob | None = None
    reauth_required: bool = False
    service_ended: bool = False
    deferred: bool = False
    superseded: bool = False


class _OutOfTime(Exception):
    """The time budget is spent; continue in a new job (inside a window: at `resume`)."""

    def __init__(self, resume: Resume | None = None) -> None:
        super().__init__()
        self.resume = resume


class _RateLimitedInside(Exception):
    """A rate limit met inside a window after its first page: continue later at `resume`."""

    def __init__(self, retry_after: float | None, resume: Resume) -> None:
        super().__init__()
        self.retry_after = retry_after
        self.resume = resume


class _Superseded(Exception):
    """The connection was disconnected or reconnected while the job ran: stop delivering."""


class _PagingLoop(Exception):
    """A window's paging does not end: a repeated page token or too many pages."""


@dataclass(frozen=True)
class _Lease:
    """The lease this run holds on its connection."""

    connection_id: uuid.UUID
    holder: uuid.UUID


class _ServiceGone(Exception):
    """The provider's API is gone for good (410 from a provider with an end of service)."""


def windows(start: datetime, end: datetime, size: timedelta) -> Iterator[tuple[datetime, datetime]]:
    """Split [start, end) into consecutive windows of at most `size`, oldest first."""
    while start < end:
        stop = min(start + size, end)
        yield start, stop
        start = stop


@dataclass
class SyncEngine(HistoryPhase):
    """Carry out download jobs with the given collaborators (each replaceable in tests).

    Args:
        providers: provider lookup by name (None: unknown).
        store: connections and cursors (`PostgresSyncStore` in the app).
        api_for: the authorised provider API of one connection (HTTP with token refresh in the app).
        sink: where records go.
        enqueue: queues a job after a delay in seconds.
        settings: windows, overlap, budget and intervals.
        clock: the current UTC time; `monotonic` measures the time budget.
        deliveries: what was delivered in the re-read overlap, so only new or changed records are sent.
    """

    providers: Callable[[str], Provider | None]
    store: SyncStore
    api_for: ApiFactory
    sink: RecordSink
    enqueue: Enqueue
    settings: Settings
    clock: Clock
    monotonic: Callable[[], float]
    deliveries: Deliveries = field(default_factory=SendEverything)

    def run(self, job: DownloadJob) -> SyncOutcome:
        """Run `job`.

        Raises:
            JobError: the job is malformed or its connection unknown, revoked or not active (drop it).
            TransientProviderError, SinkError: retry the job (the queue's retry and poison rules).
        """
        provider = self.providers(job.provider)
        if provider is None:
            raise JobError("unknown provider")
        lease = _Lease(job.connection_id, uuid.uuid4())
        now = self.clock()
        if not self.store.acquire_lease(lease.connection_id, lease.holder, now,
                                        now + timedelta(seconds=self.settings.sync_lease_seconds)):
            self._active_connection(job, provider)  # unknown or inactive: JobError; else another job runs
            return self._defer(job)
        follow_ups: list[tuple[DownloadJob, int]] = []
        holding = replace(self, enqueue=lambda follow_up, delay: follow_ups.append((follow_up, delay)))
        try:
            return holding._run_leased(job, provider, lease)
        finally:
            self.store.release_lease(lease.connection_id, lease.holder)
            for follow_up, delay in follow_ups:
                self.enqueue(follow_up, delay)

    def _run_leased(self, job: DownloadJob, provider: Provider, lease: _Lease) -> SyncOutcome:
        connection, cursors = self._active_connection(job, provider)
        ended = provider.end_of_service(self.settings)
        if ended is not None and self.clock().date() >= ended:
            self._mark_ended(connection.id, provider, f"stopped its service on {ended.isoformat()}")
            return SyncOutcome(service_ended=True)
        wanted = _wanted_streams(job, provider.streams())
        outcome = SyncOutcome()
        started = self.monotonic()
        now = self.clock()
        api = self.api_for(provider, connection)
        context = StreamContext(api, provider.api_url(self.settings), connection.user_id, provider.source)
        remaining = list(wanted)
        opened: set[str] = set()
        try:
            if job.reason == "history":
                granted = [stream for stream in wanted if stream.allowed_by(connection.scopes)]
                self._backfill_history(provider, lease, granted, cursors, context, started, outcome, remaining)
            else:
                for stream in wanted:
                    if not stream.allowed_by(connection.scopes):
                        self._stream_problem(connection.id, stream, "skipped", outcome,
                                             f"{stream.name}: access to this data was not granted")
                    else:
                        self._sync_stream(job, provider, lease, stream, cursors.get(stream.name), context,
                                          now, started, outcome, opened)
                    remaining.remove(stream)
        except (_OutOfTime, OutOfTime) as stop:
            outcome.continuation = self._continue(job, remaining, 0, outcome, getattr(stop, "resume", None))
        except (RateLimited, _RateLimitedInside) as limited:
            outcome.continuation = self._continue(job, remaining, _rate_limit_delay(limited.retry_after), outcome,
                                                  getattr(limited, "resume", None))
        except ReauthRequired:
            outcome.reauth_required = True
            log.info("connection %s needs re-authorisation; job stopped", connection.id)
        except _ServiceGone:
            outcome.service_ended = True
        except _Superseded:
            outcome.superseded = True
            log.info("connection %s was disconnected or reconnected; job stopped", connection.id)
        finally:
            outcome.api_calls = api.calls
        if (outcome.continuation is None and not outcome.reauth_required and not outcome.service_ended
                and not outcome.superseded and job.reason != "history"):
            self._finish(connection.id, provider.name, outcome)
            outcome.history_job = self._queue_history(job, connection, provider.streams(), opened)
        return outcome

    def _active_connection(self, job: DownloadJob, provider: Provider
                           ) -> tuple[Connection, Mapping[str, StreamCursor]]:
        state = self.store.load(job.connection_id)
        if state is None:
            raise JobError("unknown connection")
        if state.connection.provider != provider.name:
            raise JobError("the job's provider does not match its connection")
        if state.connection.status != "active":
            raise JobError(f"the connection is {state.connection.status}")
        return state.connection, state.cursors

    def _sync_stream(self, job: DownloadJob, provider: Provider, lease: _Lease, stream: Stream,
                     cursor: StreamCursor | None, context: StreamContext, now: datetime, started: float,
                     outcome: SyncOutcome, opened: set[str]) -> None:
        connection_id = lease.connection_id
        start = self._window_start(job, cursor, now)
        end = min(job.window_end, now) if job.window_end else now
        resume = job.resume if job.resume is not None and job.resume.stream == stream.name else None
        opens = cursor is None or cursor.synced_until is None
        goal = now - timedelta(days=self.settings.sync_backfill_days)

        def advance(window_start: datetime, window_end: datetime, latest: datetime | None) -> None:
            first = opens and stream.name not in opened
            self.store.advance_cursor(connection_id, stream.name, window_end, self.clock(),
                                      opens_history=(window_start, goal) if first else None, last_record_at=latest)
            if first:
                opened.add(stream.name)

        def forward() -> None:
            first_start = start
            if resume is not None:  # the window a previous job stopped inside, from the page it reached
                latest = self._sync_window(stream, context, resume.window_start, resume.window_end, outcome, lease,
                                           started, resume.page_token, resume.pages)
                advance(resume.window_start, resume.window_end, latest)
                first_start = max(start, resume.window_end)
            for window_start, window_end in windows(first_start, end, stream.max_window):
                if self._out_of_time(started):
                    raise _OutOfTime()
                latest = self._sync_window(stream, context, window_start, window_end, outcome, lease, started)
                advance(window_start, window_end, latest)

        if self._guarded(provider, connection_id, stream, outcome, forward):
            outcome.streams_done.append(stream.name)

    def _guarded(self, provider: Provider, connection_id: uuid.UUID, stream: Stream, outcome: SyncOutcome,
                 work: Callable[[], None]) -> bool:
        """Run one stream's work; record a refused, undeliverable or endlessly paging stream and return False."""
        try:
            work()
        except _PagingLoop as loop:
            log.warning("stream %s of connection %s: %s", stream.name, connection_id, loop)
            self._stream_problem(connection_id, stream, "error", outcome,
                                 f"{stream.name}: the provider's paging did not end ({loop}); retrying next sync")
            return False
        except ScopeMissing:
            self._stream_problem(connection_id, stream, "skipped", outcome,
                                 f"{stream.name}: the provider refused access to this data (permission)")
            return False
        except ProviderRejected as error:
            if error.status == 410 and provider.end_of_service(self.settings) is not None:
                self._mark_ended(connection_id, provider, "answers that its service is gone (HTTP 410)")
                raise _ServiceGone() from None
            self._stream_problem(connection_id, stream, "error", outcome,
                                 f"{stream.name}: the provider refused the request (HTTP {error.status})")
            return False
        except RecordValidationError as error:
            log.error("stream %s produced an invalid record (field %s): a mapper bug", stream.name, error.field)
            self._stream_problem(connection_id, stream, "error", outcome,
                                 f"{stream.name}: a record could not be delivered (field {error.field})")
            return False
        return True

    def _sync_window(self, stream: Stream, context: StreamContext, start: datetime, end: datetime,
                     outcome: SyncOutcome, lease: _Lease, started: float | None, page_token: str | None = None,
                     pages: int = 0) -> datetime | None:
        """Read every page of one window and deliver its records; return the newest record time.

        Between pages: a connection disconnected or reconnected meanwhile stops the job before the page
        is delivered; a spent time budget, or a rate limit met after the first page, ends the job with a
        continuation at the next page (not when `started` is None: a history window is read whole); a
        repeated page token or a page past `SYNC_MAX_PAGES_PER_WINDOW` stops the stream (`_PagingLoop`).
        """
        seen = {page_token} if page_token else set()
        latest: datetime | None = None
        while True:
            try:
                page = stream.fetch_page(context, start, end, page_token)
            except RateLimited as limited:
                if started is None or not page_token:
                    raise
                raise _RateLimitedInside(limited.retry_after, Resume(stream.name, start, end, page_token, pages)) from None
            pages += 1
            with self.store.holding_lease(lease.connection_id, lease.holder) as held:
                if not held:
                    raise _Superseded()
                fresh = self.deliveries.unsent(page.records) if page.records else []
                if fresh:
                    self.sink.send(fresh)
                    self.deliveries.confirmed(fresh, self.clock())
                    outcome.records_sent += len(fresh)
            page_latest = latest_record_time(page.records) if page.records else None
            if page_latest is not None and (latest is None or page_latest > latest):
                latest = page_latest
            page_token = page.next_page_token
            if not page_token:
                return latest
            if page_token in seen:
                raise _PagingLoop(f"page token repeated after {pages} pages")
            if pages >= self.settings.sync_max_pages_per_window:
                raise _PagingLoop(f"more than {self.settings.sync_max_pages_per_window} pages in one window")
            seen.add(page_token)
            if started is not None and self._out_of_time(started):
                raise _OutOfTime(Resume(stream.name, start, end, page_token, pages))

    def _out_of_time(self, started: float) -> bool:
        """Return True when the job's time budget is spent."""
        return self.monotonic() - started >= self.settings.sync_time_budget_seconds

    def _defer(self, job: DownloadJob) -> SyncOutcome:
        """Queue the job again later: another job holds its connection's lease."""
        delay = int((WEBHOOK_DEFER_DELAY if job.reason == "webhook" else DEFER_DELAY) * (1 + random.random()))
        self.enqueue(job, delay)
        log.info("connection %s is busy with another job; job deferred by %ds", job.connection_id, delay)
        return SyncOutcome(continuation=job, continuation_delay=delay, deferred=True)

    def _mark_ended(self, connection_id: uuid.UUID, provider: Provider, reason: str) -> None:
        """Mark a connection whose provider ended its service, with the reason in plain words."""
        self.store.mark_service_ended(
            connection_id, f"{provider.display_name} {reason}; this connection can no longer sync", self.clock())
        log.info("connection %s: %s service has ended; marked", connection_id, provider.name)

    def _window_start(self, job: DownloadJob, cursor: StreamCursor | None, now: datetime) -> datetime:
        if job.window_start is not None:
            return job.window_start
        if cursor is None or cursor.synced_until is None:  # recent first: the history follows, newest first
            return now - timedelta(days=min(self.settings.sync_recent_days, self.settings.sync_backfill_days))
        if job.reason == "continuation":
            return cursor.synced_until
        start = cursor.synced_until - timedelta(minutes=self.settings.sync_overlap_minutes)
        if job.reason == "reconcile":
            return min(start, now - timedelta(days=self.settings.sync_reconcile_days))
        return start

    def _stream_problem(self, connection_id: uuid.UUID, stream: Stream, status: str, outcome: SyncOutcome,
                        message: str) -> None:
        outcome.streams_failed[stream.name] = message
        self.store.record_stream_problem(connection_id, stream.name, status, message, self.clock())

    def _continue(self, job: DownloadJob, remaining: list[Stream], delay: int, outcome: SyncOutcome,
                  resume: Resume | None = None) -> DownloadJob:
        follow_up = DownloadJob(job.connection_id, job.provider,
                                "history" if job.reason == "history" else "continuation",
                                tuple(stream.name for stream in remaining), job.window_start, job.window_end,
                                resume if job.reason != "history" else None)
        self.enqueue(follow_up, delay)
        outcome.continuation_delay = delay
        log.info("connection %s: continuation queued for %d streams in %ds", job.connection_id,
                 len(remaining), delay)
        return follow_up

    def _finish(self, connection_id: uuid.UUID, provider: str, outcome: SyncOutcome) -> None:
        error = "; ".join(outcome.streams_failed.values()) or None
        now = self.clock()
        self.store.record_sync_finished(connection_id, bool(outcome.streams_done), error, now,
                                        now + timedelta(minutes=self.settings.sync_interval_for(provider)))


def _rate_limit_delay(retry_after: float | None) -> int:
    """Return whole seconds to wait: the provider's finite delay clamped to a day, else 60-120 s."""
    if retry_after is None or not math.isfinite(retry_after):
        return int(DEFAULT_RATE_LIMIT_DELAY * (1 + random.random())) + 1
    return int(min(max(0.0, retry_after), MAX_RETRY_AFTER_SECONDS - 1)) + 1


def _wanted_streams(job: DownloadJob, declared_streams: Sequence[Stream]) -> list[Stream]:
    """Return the job's streams in declaration order (all of them when the job names none).

    Raises:
        JobError: the job names a stream the provider does not declare.
    """
    declared = {stream.name: stream for stream in declared_streams}
    unknown = [name for name in job.streams if name not in declared]
    if unknown:
        raise JobError(f"unknown streams: {', '.join(sorted(unknown))}")
    return [declared[name] for name in (job.streams or declared)]
