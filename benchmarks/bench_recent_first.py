"""Seconds from connecting to the first record of every granted stream, and to a complete history.

The engine is driven directly with its real parts: the sandbox in-process (Google Health imitation,
data ending at a fixed time), a throwaway database on a local PostgreSQL (`devtools/stack.sh start
dev` or `test`), a connection with sandbox tokens, `build_engine` and the local JSONL sink. Jobs the
engine queues (continuations, the history job) run one after another, their delays ignored, as one
worker would take them from the queue. The first record of a stream is the first window confirmed
with records (`last_record_at` given to the store).

Modes: `recent` (SYNC_RECENT_DAYS=3, then the history newest to oldest) and `oldest-first` (the whole
history in the first pass, each stream oldest window first: how it worked before), stopped after
`--limit` seconds. It also counts the API calls of one steady-state poll (an incremental sync one hour
after the last) and of one daily reconciliation.

Run: `eval "$(devtools/stack.sh env dev)" && .venv/bin/python benchmarks/bench_recent_first.py
[recent|oldest-first] [--user alice] [--days 365] [--limit 600]`
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.fitbit_scratch import NOW, fitbit_connection  # noqa: E402


class TimedStore:
    """A `SyncStore` that notes when each stream's first records and its complete history were confirmed."""

    def __init__(self, inner, started: float) -> None:
        self.inner = inner
        self.started = started
        self.first_record: dict[str, float] = {}
        self.first_window: dict[str, float] = {}

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def _note(self, stream: str, last_record_at) -> None:
        if last_record_at is not None and stream not in self.first_record:
            self.first_record[stream] = time.perf_counter() - self.started

    def advance_cursor(self, connection_id, stream, synced_until, now, **options):
        self.inner.advance_cursor(connection_id, stream, synced_until, now, **options)
        self.first_window.setdefault(stream, time.perf_counter() - self.started)
        self._note(stream, options.get("last_record_at"))

    def extend_history(self, connection_id, stream, window_start, window_end, now, **options):
        moved = self.inner.extend_history(connection_id, stream, window_start, window_end, now, **options)
        self._note(stream, options.get("last_record_at"))
        return moved


def run(mode: str, user: str, days: int, limit: float) -> None:
    """Connect `user` to Fitbit in the sandbox, sync, and print the figures."""
    recent_days = "3" if mode == "recent" else str(days)
    with fitbit_connection(user, days, label="recent", settings={
            "SYNC_RECENT_DAYS": recent_days, "SYNC_TIME_BUDGET_SECONDS": "300"}) as connection:
        from shared.config import get_settings
        from shared.crypto import get_keyring
        from shared.db import get_database
        from shared.jobs import DownloadJob
        from shared.providers import get_provider
        from shared.sink.factory import create_sink
        from shared.sync.assemble import build_engine

        settings = get_settings()
        granted = [s.name for s in get_provider("fitbit").streams() if s.allowed_by(connection.scopes)]
        queued: list = []
        clock = [NOW]
        real = build_engine(database=get_database(), settings=settings, keyring=get_keyring(),
                            sink=create_sink(settings), enqueue=lambda job, delay: queued.append(job),
                            clock=lambda: clock[0], monotonic=time.monotonic)
        started = time.perf_counter()
        store = TimedStore(real.store, started)
        engine = replace(real, store=store)
        jobs, calls, records = [DownloadJob(connection.id, "fitbit", "backfill")], 0, 0
        while jobs and time.perf_counter() - started < limit:
            outcome = engine.run(jobs.pop(0))
            calls, records = calls + outcome.api_calls, records + outcome.records_sent
            jobs += queued
            queued.clear()
        total = time.perf_counter() - started
        complete = not jobs
        print(f"mode {mode}, user {user}, {days} days, {len(granted)} granted streams")
        windows = max(store.first_window.get(s, total) for s in granted)
        print(f"first window of every granted stream confirmed: {windows:.1f} s"
              f"{'' if set(granted) <= set(store.first_window) else ' (not all reached)'}")
        print(f"first record of every stream with records: {max(store.first_record.values(), default=0):.1f} s"
              f" ({len(store.first_record)} of {len(granted)} streams had records"
              f"{'' if complete else ' so far'})")
        for stream in granted:
            seen = store.first_record.get(stream)
            print(f"  {stream}: {f'{seen:.1f} s' if seen is not None else '-'}")
        print(f"{'complete history' if complete else 'stopped (limit)'} after {total:.0f} s: "
              f"{calls:,} API calls, {records:,} records")
        if complete:
            for reason in ("incremental", "reconcile"):
                clock[0] = NOW + timedelta(hours=1)
                outcome = engine.run(DownloadJob(connection.id, "fitbit", reason))
                print(f"one {reason} job an hour later: {outcome.api_calls} API calls")


def main() -> None:
    """Parse the arguments and run one mode."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", default="recent", choices=("recent", "oldest-first"))
    parser.add_argument("--user", default="alice")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--limit", type=float, default=3600.0, help="stop after this many seconds")
    arguments = parser.parse_args()
    run(arguments.mode, arguments.user, arguments.days, arguments.limit)


if __name__ == "__main__":
    main()
