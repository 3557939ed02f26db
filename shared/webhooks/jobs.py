"""Run a webhook job: read and clear its stream's pending window, with the cursor kept honest.

The job names one stream and no window; the window is read from `webhook_windows` when the job
starts (so notifications that arrived after it was queued are covered) and deleted afterwards
unless a notification widened it meanwhile (that notification queued the next job). Objects a
notification named without times are located first through the provider's API (`Webhook.locate`)
and their windows read too; they are forgotten once read. A narrowed
window moves the stream's cursor only when it starts at or before the cursor, so polling still
reads any gap before it; the polling schedule is left alone. Should the engine hand over a
continuation (time budget, rate limit), the window goes back to `webhook_windows` with a delayed job.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from datetime import datetime
from typing import Any

from shared.jobs import DownloadJob
from shared.store import webhooks as webhook_store
from shared.sync.sync_store import SyncState

log = logging.getLogger(__name__)


class NarrowedStore:
    """A `SyncStore` for one narrowed window: cursors move only where contiguous; schedule untouched."""

    def __init__(self, inner: Any, database: Any, window_start: datetime) -> None:
        self._inner = inner
        self._database = database
        self._window_start = window_start
        self._cursors: dict[str, Any] = {}

    def load(self, connection_id: uuid.UUID) -> SyncState | None:
        """Return the connection and its cursors (remembered for `advance_cursor`)."""
        state = self._inner.load(connection_id)
        if state is not None:
            self._cursors = dict(state.cursors)
        return state

    def advance_cursor(self, connection_id: uuid.UUID, stream: str, synced_until: datetime, now: datetime, *,
                       opens_history: tuple[datetime, datetime] | None = None,
                       last_record_at: datetime | None = None) -> None:
        """Move the cursor only when the window joins it (never across a gap polling has not read).

        A narrowed window never opens a stream's history: that is the first scheduled sync's job.
        """
        known = self._cursors.get(stream)
        if known is not None and known.synced_until is not None and known.synced_until >= self._window_start:
            self._inner.advance_cursor(connection_id, stream, synced_until, now, last_record_at=last_record_at)

    def record_stream_problem(self, connection_id: uuid.UUID, stream: str, status: str, message: str,
                              now: datetime) -> None:
        """Record a skipped or failed stream."""
        self._inner.record_stream_problem(connection_id, stream, status, message, now)

    def mark_service_ended(self, connection_id: uuid.UUID, message: str, now: datetime) -> None:
        """Mark a connection whose provider ended its service."""
        self._inner.mark_service_ended(connection_id, message, now)

    def __getattr__(self, name: str) -> Any:
        """Everything else (the job's lease on its connection) is the inner store's."""
        return getattr(self._inner, name)

    def record_sync_finished(self, connection_id: uuid.UUID, succeeded: bool, error: str | None, now: datetime,
                             next_sync_at: datetime) -> None:
        """Record the last success or error; the next polling time stays as it was."""
        with self._database.transaction() as cursor:
            webhook_store.record_narrowed_sync(cursor, connection_id, succeeded=succeeded, error=error, now=now)


def run_webhook_job(job: DownloadJob, engine: Any, database: Any, *, retry: bool = False) -> Any:
    """Read every waiting window of the job's connection with `engine`'s collaborators.

    Returns the outcome of the windows together (None: another job had taken them all already). A
    retried job takes its own stream's window again even when it is marked as being read.

    Raises:
        JobError: as `SyncEngine.run` (the connection is gone or no longer active).
    """
    from shared.errors import JobError

    if len(job.streams) != 1:
        raise JobError("a webhook job names exactly one stream")
    with database.transaction() as cursor:
        windows = webhook_store.take_waiting_windows(cursor, job.connection_id,
                                                     also_stream=job.streams[0] if retry else None)
    if not windows:
        return None
    combined = None
    for window in windows:
        outcome = _run_window(job, window, engine, database)
        if outcome is not None:
            combined = outcome if combined is None else _merged(combined, outcome)
    return combined


def _run_window(job: DownloadJob, window: Any, engine: Any, database: Any) -> Any:
    """Run one stream's narrowed window and the windows of its notified objects; settle it unless it goes on.

    A window that only spans the notices of object notifications (`accept.OBJECT_NOTICE`) is not
    read itself: the objects' own windows are. Returns None when nothing was read.
    """
    from shared.errors import JobError

    stream_job = dataclasses.replace(job, streams=(window.stream,))
    try:
        located, notices, objects = _located(job, window.stream, engine, database)
        own = (window.window_start, window.window_end)
        outcome = None
        for start, end in ([] if _within_notices(own, notices) else [own]) + located:
            each = _run_span(stream_job, start, end, engine, database)
            outcome = each if outcome is None else _merged(outcome, each)
        if objects:  # read, or handed back as pending windows: a failure before here locates them again
            with database.transaction() as cursor:
                webhook_store.forget_objects(cursor, job.connection_id, window.stream, objects)
    except JobError:
        with database.transaction() as cursor:
            webhook_store.settle_window(cursor, job.connection_id, window)
        raise
    if outcome is None or outcome.continuation is None:
        with database.transaction() as cursor:
            webhook_store.settle_window(cursor, job.connection_id, window)
    return outcome


def _run_span(stream_job: DownloadJob, start: datetime, end: datetime, engine: Any, database: Any) -> Any:
    """Run the engine over [start, end) of the job's stream; a continuation puts the span back as pending."""
    narrowed = dataclasses.replace(stream_job, window_start=start, window_end=end)

    def hand_back(follow_up: DownloadJob, delay: int) -> None:
        with database.transaction() as cursor:
            webhook_store.widen_window(cursor, stream_job.connection_id, stream_job.streams[0], start=start, end=end,
                                       now=engine.clock())
        engine.enqueue(dataclasses.replace(stream_job, reason="webhook"), delay)

    local = dataclasses.replace(engine, store=NarrowedStore(engine.store, database, start), enqueue=hand_back)
    return local.run(narrowed)


def _located(job: DownloadJob, stream: str, engine: Any, database: Any
             ) -> tuple[list[tuple[datetime, datetime]], tuple[datetime, datetime] | None, list[str]]:
    """Return the windows of the stream's notified objects, located through the provider's API (one
    that is gone has none), the span of their notices (None: no object was waiting) and their ids."""
    from shared.errors import JobError
    from shared.sync.streams import StreamContext
    from shared.webhooks.accept import OBJECT_NOTICE

    provider = engine.providers(job.provider)
    locate = provider.webhook.locate if provider is not None and provider.webhook is not None else None
    if locate is None:
        return [], None, []
    with database.transaction() as cursor:
        objects = webhook_store.waiting_objects(cursor, job.connection_id, stream)
    if not objects:
        return [], None, []
    state = engine.store.load(job.connection_id)
    if state is None or state.connection.status != "active":
        raise JobError("the connection is gone or no longer active")
    api = engine.api_for(provider, state.connection)
    context = StreamContext(api, provider.api_url(engine.settings), state.connection.user_id, provider.source)
    found = [locate(context, stream, item.object_id) for item in objects]
    log.info("webhook job of connection %s: %d of %d notified %s objects located", job.connection_id,
             sum(span is not None for span in found), len(objects), stream)
    notices = (min(item.received_at for item in objects) - OBJECT_NOTICE, max(item.received_at for item in objects))
    return [span for span in found if span is not None], notices, [item.object_id for item in objects]


def _within_notices(window: tuple[datetime, datetime], notices: tuple[datetime, datetime] | None) -> bool:
    """Tell whether a pending window is no more than the notices of object notifications."""
    return notices is not None and notices[0] <= window[0] and window[1] <= notices[1]


def _merged(first: Any, second: Any) -> Any:
    """Add up two windows' outcomes (counts, streams; the later continuation wins)."""
    return dataclasses.replace(
        first, records_sent=first.records_sent + second.records_sent, api_calls=first.api_calls + second.api_calls,
        streams_done=first.streams_done + second.streams_done,
        streams_failed={**first.streams_failed, **second.streams_failed},
        continuation=second.continuation or first.continuation,
        continuation_delay=max(first.continuation_delay, second.continuation_delay),
        deferred=first.deferred or second.deferred, superseded=first.superseded or second.superseded)
