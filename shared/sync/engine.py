"""Run one DownloadJob: streams -> windows -> pages -> records -> sink -> cursor, within a time budget.

Guarantees: a stream's cursor moves only after the sink confirmed every record up to it (a crash
re-sends records with the same ids, never skips any); rate limits and the time budget end the job
with a continuation job; transient errors propagate so the queue retries and finally poisons.

Recent first: a stream's first sync reads only its last `SYNC_RECENT_DAYS` and opens its history
(`history_from`, down to a goal `SYNC_BACKFILL_DAYS` back); a `history` job then fills the history
newest to oldest over every stream, moving `history_from` back only after the sink confirmed a window.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from shared.clock import Clock
from shared.config import Settings
from shared.errors import JobError, ProviderRejected, RateLimited, ReauthRequired, RecordValidationError, ScopeMissing
from shared.jobs import DownloadJob
from shared.providers.base import Provider
from shared.store.connections import Connection
from shared.store.cursors import StreamCursor
from shared.sync.history import latest_record_time
from shared.sync.history_phase import HistoryPhase, OutOfTime
from shared.sync.streams import ProviderApi, Stream, StreamContext
from shared.sync.sync_store import SyncStore

DEFAULT_RATE_LIMIT_DELAY = 60.0
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
    """

    providers: Callable[[str], Provider | None]
    store: SyncStore
    api_for: ApiFactory
    sink: RecordSink
    enqueue: Enqueue
    settings: Settings
    clock: Clock
    monotonic: Callable[[], float]

    def run(self, job: DownloadJob) -> SyncOutcome:
        """Run `job`.

        Raises:
            JobError: the job is malformed or its connection unknown, revoked or not active (drop it).
            TransientProviderError, SinkError: retry the job (the queue's retry and poison rules).
        """
        provider = self.providers(job.provider)
        if provider is None:
            raise JobError("unknown provider")
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
                self._backfill_history(provider, connection.id, granted, cursors, context, started, outcome,
                                       remaining)
            else:
                for stream in wanted:
                    if not stream.allowed_by(connection.scopes):
                        self._stream_problem(connection.id, stream, "skipped", outcome,
                                             f"{stream.name}: access to this data was not granted")
                    else:
                        self._sync_stream(job, provider, connection.id, stream, cursors.get(stream.name),
                                          context, now, started, outcome, opened)
                    remaining.remove(stream)
        except OutOfTime:
            outcome.continuation = self._continue(job, remaining, 0, outcome)
        except RateLimited as limited:
            delay = limited.retry_after if limited.retry_after is not None else \
                DEFAULT_RATE_LIMIT_DELAY * (1 + random.random())
            outcome.continuation = self._continue(job, remaining, int(delay) + 1, outcome)
        except ReauthRequired:
            outcome.reauth_required = True
            log.info("connection %s needs re-authorisation; job stopped", connection.id)
        except _ServiceGone:
            outcome.service_ended = True
        finally:
            outcome.api_calls = api.calls
        if outcome.continuation is None and not outcome.reauth_required and not outcome.service_ended \
                and job.reason != "history":
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

    def _sync_stream(self, job: DownloadJob, provider: Provider, connection_id: uuid.UUID, stream: Stream,
                     cursor: StreamCursor | None, context: StreamContext, now: datetime, started: float,
                     outcome: SyncOutcome, opened: set[str]) -> None:
        start = self._window_start(job, cursor, now)
        end = min(job.window_end, now) if job.window_end else now
        opens = cursor is None or cursor.synced_until is None
        goal = now - timedelta(days=self.settings.sync_backfill_days)

        def forward() -> None:
            for window_start, window_end in windows(start, end, stream.max_window):
                # The budget is checked between windows only: a cursor moves at the end of a window,
                # so stopping inside one would redo it forever. Streams size windows to fit a budget.
                self._check_budget(started)
                latest = self._sync_window(stream, context, window_start, window_end, outcome)
                first = opens and stream.name not in opened
                self.store.advance_cursor(connection_id, stream.name, window_end, self.clock(),
                                          opens_history=(window_start, goal) if first else None,
                                          last_record_at=latest)
                if first:
                    opened.add(stream.name)

        if self._guarded(provider, connection_id, stream, outcome, forward):
            outcome.streams_done.append(stream.name)

    def _guarded(self, provider: Provider, connection_id: uuid.UUID, stream: Stream, outcome: SyncOutcome,
                 work: Callable[[], None]) -> bool:
        """Run one stream's work; record a refused or undeliverable stream and return False."""
        try:
            work()
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
                     outcome: SyncOutcome) -> datetime | None:
        """Read every page of one window and deliver its records; return the newest record time."""
        page_token = None
        latest: datetime | None = None
        while True:
            page = stream.fetch_page(context, start, end, page_token)
            if page.records:
                self.sink.send(page.records)
                outcome.records_sent += len(page.records)
                page_latest = latest_record_time(page.records)
                if page_latest is not None and (latest is None or page_latest > latest):
                    latest = page_latest
            page_token = page.next_page_token
            if not page_token:
                return latest

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

    def _continue(self, job: DownloadJob, remaining: list[Stream], delay: int, outcome: SyncOutcome
                  ) -> DownloadJob:
        follow_up = DownloadJob(job.connection_id, job.provider,
                                "history" if job.reason == "history" else "continuation",
                                tuple(stream.name for stream in remaining), job.window_start, job.window_end)
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
