"""The history phase of the sync engine: fill the streams' histories newest to oldest, window by window.

A stream's first sync opens its history (`history_from`, down to `history_goal`); a `history` job then
always takes the stream whose history is newest, reads one window ending at its `history_from` and
moves `history_from` back only after the sink confirmed every record of the window.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from shared.jobs import DownloadJob
from shared.providers.base import Provider
from shared.store.connections import Connection
from shared.store.cursors import StreamCursor
from shared.sync.history import history_pending, history_stalled, newest_pending, next_history_window
from shared.sync.streams import Stream, StreamContext

log = logging.getLogger(__name__)


class OutOfTime(Exception):
    """The time budget is spent; continue in a new job."""


class HistoryPhase:
    """The engine's history methods (mixed into `SyncEngine`, whose collaborators they use)."""

    def _check_budget(self, started: float) -> None:
        """Raise OutOfTime once the job's time budget is spent."""
        if self.monotonic() - started >= self.settings.sync_time_budget_seconds:
            raise OutOfTime()

    def _backfill_history(self, provider: Provider, lease: Any, streams: list[Stream],
                          loaded: Mapping[str, StreamCursor], context: StreamContext, started: float,
                          outcome: Any, remaining: list[Stream]) -> None:
        """Fill the streams' histories newest to oldest, one window at a time, until done or out of time.

        `remaining` is left holding the streams whose history is still pending (for a continuation). The
        budget is checked between windows: a history window is read whole, with the job's lease.
        """
        connection_id: uuid.UUID = lease.connection_id
        by_name = {stream.name: stream for stream in streams}
        cursors = {name: loaded[name] for name in by_name if history_pending(loaded.get(name))}
        remaining[:] = [stream for stream in remaining if stream.name in cursors]

        def drop(name: str, *, completed: bool) -> None:
            del cursors[name]
            remaining.remove(by_name[name])
            if completed:
                outcome.streams_done.append(name)

        while cursors:
            cursor = newest_pending(cursors.values())
            stream = by_name[cursor.stream]
            self._check_budget(started)
            start, end = next_history_window(cursor, stream.max_window)
            latest: list[datetime | None] = [None]

            def backward() -> None:
                latest[0] = self._sync_window(stream, context, start, end, outcome, lease, None)

            if not self._guarded(provider, connection_id, stream, outcome, backward):
                drop(stream.name, completed=False)
                continue
            if self.store.extend_history(connection_id, stream.name, start, end, self.clock(),
                                         last_record_at=latest[0]):
                cursors[stream.name] = replace(cursor, history_from=start)
            else:  # another job moved it further meanwhile: carry on from where it is now
                fresh = self.store.load(connection_id).cursors.get(stream.name)
                if fresh is None or fresh.history_from is None or fresh.history_from >= cursor.history_from:
                    log.warning("connection %s: the history of %s did not move; left to a later job",
                                connection_id, stream.name)
                    drop(stream.name, completed=False)
                    continue
                cursors[stream.name] = fresh
            if not history_pending(cursors[stream.name]):
                drop(stream.name, completed=True)

    def _queue_history(self, job: DownloadJob, connection: Connection, streams: Sequence[Stream],
                       opened: set[str]) -> DownloadJob | None:
        """Queue a `history` job for the streams whose history this job opened, or that a backfill (and its
        continuations, which may name fewer streams) or a stalled chain leaves pending; return it or None."""
        state = self.store.load(connection.id)
        if state is None:
            return None
        now = self.clock()
        names = tuple(
            stream.name for stream in streams
            if stream.allowed_by(connection.scopes) and history_pending(state.cursors.get(stream.name))
            and (job.reason in ("backfill", "continuation") or stream.name in opened
                 or history_stalled(state.cursors.get(stream.name), now)))
        if not names:
            return None
        history = DownloadJob(job.connection_id, job.provider, "history", names)
        self.enqueue(history, 0)
        log.info("connection %s: history queued for %d streams", job.connection_id, len(names))
        return history
