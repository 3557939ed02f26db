"""Peak memory of a Fitbit backfill through the real engine: it must stream, not load everything.

Each run is a fresh process: the sandbox in-process (Google Health imitation, data ending at a fixed
time), a throwaway database on the test PostgreSQL (`devtools/stack.sh start test`), a connection with
sandbox tokens, then `SyncEngine.run` of a backfill of N days into the local JSONL sink. It prints
records, API calls, seconds and the process's peak resident memory for each N; a streaming engine's
peak stays flat as N grows.

Run: `eval "$(devtools/stack.sh env test)" && .venv/bin/python benchmarks/bench_backfill_memory.py [days ...]`
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.fitbit_scratch import NOW, fitbit_connection  # noqa: E402


def child(days: int, user: str) -> None:
    """Run one backfill and print its figures."""
    with fitbit_connection(user, days, label="memory", settings={"SYNC_TIME_BUDGET_SECONDS": "100000"}) as connection:
        from shared.config import get_settings
        from shared.crypto import get_keyring
        from shared.db import get_database
        from shared.jobs import DownloadJob
        from shared.sink.factory import create_sink
        from shared.sync.assemble import build_engine

        settings = get_settings()
        engine = build_engine(database=get_database(), settings=settings, keyring=get_keyring(),
                              sink=create_sink(settings), enqueue=lambda job, delay: None,
                              clock=lambda: NOW, monotonic=time.monotonic)
        started = time.perf_counter()
        outcome = engine.run(DownloadJob(connection.id, "fitbit", "backfill"))
        seconds = time.perf_counter() - started
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"| {days} | {outcome.records_sent:,} | {outcome.api_calls:,} | {seconds:,.0f} s | {peak_mib:,.0f} MiB |")


def main(days_list: list[int]) -> None:
    """Run each backfill in its own process."""
    print("Fitbit backfill of user bob (per-minute heart rate) through the engine into the JSONL sink")
    print("| days | records (packets and events) | API calls | time | peak RSS |")
    print("| --- | --- | --- | --- | --- |")
    for days in days_list:
        subprocess.run([sys.executable, __file__, "--child", str(days)], check=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), "bob")
    else:
        main([int(arg) for arg in sys.argv[1:]] or [7, 60, 365])
