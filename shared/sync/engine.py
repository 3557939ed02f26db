"""Run one DownloadJob: streams -> windows -> pages -> records -> sink -> cursor, within a time budget.

Guarantees: a stream's cursor moves only after the sink confirmed every record up to it (a crash
re-sends records with the same ids, never skips any); rate limits and the time budget end the job
with a continuation job; transient errors propagate so the queue retries and finally poisons.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shared.config import Settings
from shared.crypto import Keyring
from shared.errors import (
    JobError,
    ProviderRejected,
    RateLimited,
    ReauthRequired,
    RecordValidationError,
    ScopeMissing,
)
from shared.jobs import DownloadJob
from shared.providers import PROVIDERS
from shared.store import connections as connection_store
from shared.store import cursors as cursor_store
from shared.sync.api import ConnectionApi
from shared.sync.streams import Stream, StreamContext
from shared.sync.tokens import TokenKeeper

DEFAULT_RATE_LIMIT_DELAY = 60.0
log = logging.getLogger(__name__)


@dataclass
class SyncOutcome:
    """What a job did (counts only, never data)."""

    records_sent: int = 0
    api_calls: int = 0
    streams_done: list[str] = field(default_factory=list)
    streams_failed: dict[str, str] = field(default_factory=dict)
    continuation: DownloadJob | None = None
    continuation_delay: int = 0
    reauth_required: bool = False
    service_ended: bool = False


class _OutOfTime(Exception):
    """The time budget is spent; continue in a new job."""


class _ServiceGone(Exception):
    """The provider's API is gone for good (410 from a provider with an end of service)."""


def windows(start: datetime, end: datetime, size: timedelta) -> Iterator[tuple[datetime, datetime]]:
    """Split [start, end) into consecutive windows of at most `size`, oldest first."""
    while start < end:
        stop = min(start + size, end)
        yield start, stop
        start = stop


@dataclass
class SyncEngine:
    """Carry out download jobs with the given collaborators (all injectable for tests)."""

    database: Any
    settings: Settings
    keyring: Keyring
    sink: Any
    streams_for: Callable[[str], Sequence[Stream]]
    enqueue: Callable[[DownloadJob, int], Any]
    clock: Callable[[], datetime]
    monotonic: Callable[[], float]

    def run(self, job: DownloadJob) -> SyncOutcome:
        """Run `job`.

        Raises:
            JobError: the job is malformed or its connection unknown, revoked or not active (drop it).
            TransientProviderError, SinkError: retry the job (the queue's retry and poison rules).
        """
        provider = PROVIDERS.get(job.provider)
        if provider is None:
            raise JobError("unknown provider")
        with self.database.transaction() as cursor:
            connection = connection_store.get_connection(cursor, job.connection_id)
            if connection is None:
                raise JobError("unknown connection")
            if connection.provider != provider.name:
                raise JobError("the job's provider does not match its connection")
            if connection.status != "active":
                raise JobError(f"the connection is {connection.status}")
            cursors = cursor_store.load_cursors(cursor, connection.id)
        ended = provider.end_of_service(self.settings)
        if ended is not None and self.clock().date() >= ended:
            self._mark_ended(connection.id, provider, f"stopped its service on {ended.isoformat()}")
            return SyncOutcome(service_ended=True)
        declared = {stream.name: stream for stream in self.streams_for(provider.name)}
        unknown = [name for name in job.streams if name not in declared]
        if unknown:
            raise JobError(f"unknown streams: {', '.join(sorted(unknown))}")
        wanted = [declared[name] for name in (job.streams or declared)]
        outcome = SyncOutcome()
        started = self.monotonic()
        now = self.clock()
        api = ConnectionApi(provider.name, TokenKeeper(self.database, self.keyring, self.settings, provider,
                                                       connection.id, self.clock))
        context = StreamContext(api, self._base_url(provider.name), connection.user_id, provider.source)
        remaining = list(wanted)
        try:
            for stream in wanted:
                if not stream.allowed_by(connection.scopes):
                    self._stream_problem(connection.id, stream, "skipped", outcome,
                                         f"{stream.name}: access to this data was not granted")
                else:
                    self._sync_stream(job, connection.id, stream, cursors.get(stream.name), context, now,
                                      started, outcome)
                remaining.remove(stream)
        except _OutOfTime:
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
        if outcome.continuation is None and not outcome.reauth_required and not outcome.service_ended:
            self._finish(connection.id, provider.name, outcome)
        return outcome

    def _base_url(self, provider: str) -> str:
        return {"fitbit": self.settings.google_health_api_url, "oura": self.settings.oura_api_url,
                "google_fit": self.settings.google_fit_api_url}[provider]

    def _sync_stream(self, job: DownloadJob, connection_id: Any, stream: Stream, cursor: Any,
                     context: StreamContext, now: datetime, started: float, outcome: SyncOutcome) -> None:
        start = self._window_start(job, cursor, now)
        end = min(job.window_end, now) if job.window_end else now
        try:
            for window_start, window_end in windows(start, end, stream.max_window):
                # The budget is checked between windows only: a cursor moves at the end of a window,
                # so stopping inside one would redo it forever. Streams size windows to fit a budget.
                if self.monotonic() - started >= self.settings.sync_time_budget_seconds:
                    raise _OutOfTime()
                page_token = None
                while True:
                    page = stream.fetch_page(context, window_start, window_end, page_token)
                    if page.records:
                        self.sink.send(page.records)
                        outcome.records_sent += len(page.records)
                    page_token = page.next_page_token
                    if not page_token:
                        break
                with self.database.transaction() as db:
                    cursor_store.advance_cursor(db, connection_id, stream.name, synced_until=window_end,
                                                now=self.clock())
        except ScopeMissing:
            self._stream_problem(connection_id, stream, "skipped", outcome,
                                 f"{stream.name}: the provider refused access to this data (permission)")
            return
        except ProviderRejected as error:
            provider = PROVIDERS.get(error.provider)
            if error.status == 410 and provider and provider.end_of_service(self.settings) is not None:
                self._mark_ended(connection_id, provider, "answers that its service is gone (HTTP 410)")
                raise _ServiceGone() from None
            self._stream_problem(connection_id, stream, "error", outcome,
                                 f"{stream.name}: the provider refused the request (HTTP {error.status})")
            return
        except RecordValidationError as error:
            log.error("stream %s produced an invalid record (field %s): a mapper bug", stream.name, error.field)
            self._stream_problem(connection_id, stream, "error", outcome,
                                 f"{stream.name}: a record could not be delivered (field {error.field})")
            return
        outcome.streams_done.append(stream.name)

    def _mark_ended(self, connection_id: Any, provider: Any, reason: str) -> None:
        """Mark a connection whose provider ended its service, with the reason in plain words."""
        with self.database.transaction() as db:
            connection_store.mark_service_ended(
                db, connection_id, now=self.clock(),
                message=f"{provider.display_name} {reason}; this connection can no longer sync")
        log.info("connection %s: %s service has ended; marked", connection_id, provider.name)

    def _window_start(self, job: DownloadJob, cursor: Any, now: datetime) -> datetime:
        if job.window_start is not None:
            return job.window_start
        if cursor is None or cursor.synced_until is None:
            return now - timedelta(days=self.settings.sync_backfill_days)
        if job.reason == "continuation":
            return cursor.synced_until
        return cursor.synced_until - timedelta(minutes=self.settings.sync_overlap_minutes)

    def _stream_problem(self, connection_id: Any, stream: Stream, status: str, outcome: SyncOutcome,
                        message: str) -> None:
        outcome.streams_failed[stream.name] = message
        with self.database.transaction() as db:
            cursor_store.record_stream_problem(db, connection_id, stream.name, status=status, message=message,
                                               now=self.clock())

    def _continue(self, job: DownloadJob, remaining: list[Stream], delay: int, outcome: SyncOutcome
                  ) -> DownloadJob:
        follow_up = DownloadJob(job.connection_id, job.provider, "continuation",
                                tuple(stream.name for stream in remaining), job.window_start, job.window_end)
        self.enqueue(follow_up, delay)
        outcome.continuation_delay = delay
        log.info("connection %s: continuation queued for %d streams in %ds", job.connection_id,
                 len(remaining), delay)
        return follow_up

    def _finish(self, connection_id: Any, provider: str, outcome: SyncOutcome) -> None:
        error = "; ".join(outcome.streams_failed.values()) or None
        now = self.clock()
        with self.database.transaction() as db:
            connection_store.record_sync_finished(
                db, connection_id, succeeded=bool(outcome.streams_done), error=error, now=now,
                next_sync_at=now + timedelta(minutes=self.settings.sync_interval_for(provider)))
