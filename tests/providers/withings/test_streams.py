"""The `withings` streams against the sandbox, and the engine under Withings' own faults.

Stream hooks run over plain bearer HTTP (tests.providers.api) for a year (intraday activity in
the engine's one-day windows, each sample once); the engine runs
through the real connect flow, PostgreSQL cursors and the JSONL sink (tests.sync.support), with
envelope errors inside HTTP 200 answers: a bad token (refresh, then retry), rate limiting
(a delayed continuation) and a lasting server error.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
import requests

from devtools.sandbox.providers.withings.knobs import withings_state
from shared.errors import TransientProviderError
from shared.jobs import DownloadJob
from shared.providers.withings.streams import STREAMS, YEAR_WINDOW
from shared.sync.engine import windows
from tests.providers.api import read_window, stream_context
from tests.sandbox.flows import withings_tokens
from tests.sync.support import NOW, Harness, connect_account, cursors, pin_sandbox_clock

BY_NAME = {stream.name: stream for stream in STREAMS}
START = NOW - timedelta(days=365)


def _context(sandbox, user="alice"):
    withings_state(sandbox.state.extras).configure(now=NOW.isoformat())
    redirect = sandbox.state.clients.get("withings", "sandbox-withings-client").redirect_uris[0]
    token = withings_tokens(sandbox.url, user, redirect_uri=redirect)["access_token"]
    return stream_context(token, f"{sandbox.url}/withings", user, "withings", provider="withings")


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_a_year_of_each_stream_reads_in_one_window_with_few_pages(sandbox, name):
    context, api = _context(sandbox)
    read = read_window(BY_NAME[name], context, START, NOW)
    assert read.records
    assert read.calls == read.pages <= 2
    kinds = Counter(getattr(r, "stream_name", None) or r.event_type for r in read.records)
    assert all(count > 0 for count in kinds.values())


def test_small_pages_give_the_same_records(sandbox):
    context, _ = _context(sandbox)
    whole = read_window(BY_NAME["activity"], context, NOW - timedelta(days=60), NOW)
    withings_state(sandbox.state.extras).configure(page_size=7)
    paged = read_window(BY_NAME["activity"], context, NOW - timedelta(days=60), NOW)
    assert paged.pages > 7 and whole.pages == 1
    assert _facts(paged.records) == _facts(whole.records) and _facts(whole.records)


def _facts(records):
    """Return every point as (stream, start, end, value): pages package points into other packets."""
    return sorted((r.stream_name, p.start_time, p.end_time, p.value) for r in records for p in r.points)


def _sandbox_heart_rate(sandbox, token, start, end):
    """Return the instants of the sandbox's heart-rate samples in [start, end), read a day per call."""
    found = set()
    for lo, hi in windows(start, end, timedelta(days=1)):
        form = {"action": "getintradayactivity", "startdate": str(int(lo.timestamp())),
                "enddate": str(int(hi.timestamp()))}
        series = requests.post(f"{sandbox.url}/withings/v2/measure", data=form, timeout=30,
                               headers={"Authorization": f"Bearer {token}"}).json()["body"]["series"]
        found |= {int(at) for at, sample in series.items() if "heart_rate" in sample}
    return {datetime.fromtimestamp(at, NOW.tzinfo) for at in found if start.timestamp() <= at < end.timestamp()}


def test_intraday_reads_one_call_per_day_window_and_each_sample_once(sandbox):
    context, api = _context(sandbox)
    stream = BY_NAME["intraday_activity"]
    days = windows(NOW - timedelta(days=3), NOW, stream.max_window)
    reads = [read_window(stream, context, lo, hi) for lo, hi in days]
    assert [(read.calls, read.pages) for read in reads] == [(1, 1)] * 3
    records = [record for read in reads for record in read.records]
    beats = [p.timestamp for r in records if r.stream_name.endswith(".heartrate") for p in r.points]
    assert len(beats) == len(set(beats)) > 300  # a reading every 10 minutes of wear, none twice at window edges
    assert set(beats) == _sandbox_heart_rate(sandbox, api.token, NOW - timedelta(days=3), NOW)
    steps = [p for r in records if r.stream_name.endswith(".interval.step.count") for p in r.points]
    assert steps and all((p.end_time - p.start_time).total_seconds() == 60 for p in steps)
    assert any(r.stream_name.endswith(".oxygen_saturation") for r in records)


def test_measures_carry_body_composition_and_blood_pressure_without_segments(sandbox):
    context, _ = _context(sandbox)
    names = {r.stream_name.rsplit(".", 1)[-1] if "blood_pressure" not in r.stream_name else r.stream_name
             for r in read_window(BY_NAME["measures"], context, START, NOW).records}
    assert {"weight", "body_fat", "fat_free_mass", "muscle_mass", "bone_mass", "body_water"} <= names
    assert any("blood_pressure.systolic" in name for name in names)


def test_an_incremental_window_uses_lastupdate_and_sees_only_recent_changes(sandbox):
    context, _ = _context(sandbox)
    recent = read_window(BY_NAME["sleep"], context, NOW - timedelta(days=2), NOW)
    assert 1 <= len([r for r in recent.records if hasattr(r, "event_type")]) <= 3
    assert sandbox.state.counters.get("withings.v2.sleep:getsummary") >= 1


@pytest.fixture
def account(sandbox, database):
    pin_sandbox_clock(sandbox, "withings")
    return connect_account(sandbox, "withings")


def _ids(harness):
    ids = harness.record_ids()
    assert ids and len(ids) == len(set(ids))
    return set(ids)


def test_a_bad_token_status_refreshes_once_and_the_backfill_completes(tmp_path, sandbox, account):
    clean = Harness(tmp_path / "clean", recent_days=20)
    clean.run_to_completion(DownloadJob(account, "withings", "backfill"))
    baseline = _ids(clean)
    from shared.db import get_database

    with get_database().transaction() as cursor:
        cursor.execute("DELETE FROM sync_cursors WHERE connection_id = %s", (str(account),))
        cursor.execute("DELETE FROM delivered_records")  # the run under test must deliver everything again
    refreshes = sandbox.state.counters.get("withings.token:refresh_token")
    withings_state(sandbox.state.extras).configure(status_faults="401")
    harness = Harness(tmp_path / "run", recent_days=20)
    outcome = harness.run(DownloadJob(account, "withings", "backfill"))
    assert outcome.continuation is None and not outcome.streams_failed
    assert sandbox.state.counters.get("withings.token:refresh_token") == refreshes + 1
    assert _ids(harness) == baseline
    assert all(status == "ok" for _, status, _ in cursors(account).values())


def test_rate_limited_status_becomes_a_delayed_continuation(tmp_path, sandbox, account):
    withings_state(sandbox.state.extras).configure(status_faults="601")
    harness = Harness(tmp_path / "run", recent_days=20)
    first = harness.run(DownloadJob(account, "withings", "backfill"))
    assert first.continuation is not None
    assert 60 <= harness.queued[0][1] <= 121
    harness.run_to_completion(harness.queued.pop(0)[0])
    assert len(cursors(account)) == len(STREAMS)


def test_app_wide_rate_limit_of_the_sandbox_is_answered_with_601(tmp_path, sandbox, account):
    withings_state(sandbox.state.extras).configure(rate_limit_per_minute=2)
    harness = Harness(tmp_path / "run", recent_days=20)
    first = harness.run(DownloadJob(account, "withings", "backfill"))
    assert first.continuation is not None and harness.queued


def test_a_lasting_error_status_raises_so_the_queue_retries(tmp_path, sandbox, account):
    withings_state(sandbox.state.extras).configure(status_faults=",".join(["2552"] * 10))
    harness = Harness(tmp_path / "run", recent_days=20)
    with pytest.raises(TransientProviderError):
        harness.run(DownloadJob(account, "withings", "backfill"))
    withings_state(sandbox.state.extras).configure(status_faults="")
    outcomes = harness.run_to_completion(DownloadJob(account, "withings", "backfill"))
    assert outcomes[-1].continuation is None


def test_the_year_window_is_one_call_per_stream_page(tmp_path, sandbox, account):
    harness = Harness(tmp_path / "run", backfill_days=365, recent_days=365)
    # Counting calls, not pacing them: under the fixed clock the app-wide budget would never free.
    harness.settings = harness.settings.with_provider("withings", request_budgets=())
    before = sandbox.state.counters.snapshot()
    harness.run_to_completion(DownloadJob(account, "withings", "backfill"))
    after = sandbox.state.counters.snapshot()
    def calls(name):
        return after.get(name, 0) - before.get(name, 0)

    daily = ("withings.v2.sleep:get", "withings.v2.measure:getintradayactivity")  # 24 hours a call
    listed = [k for k in after if k.startswith("withings.") and ":get" in k and k not in daily]
    yearly = [s for s in STREAMS if s.max_window == YEAR_WINDOW]
    assert len(yearly) <= sum(map(calls, listed)) <= 2 * len(yearly)
    assert [calls(name) for name in daily] == [365, 365]


def _points(harness):
    return [fact for fact in harness.facts() if fact[0] == "point"]


def test_an_incremental_sync_reads_intraday_in_day_windows_from_the_overlap(tmp_path, sandbox, account):
    Harness(tmp_path / "backfill", recent_days=3).run(DownloadJob(account, "withings", "backfill"))
    later = NOW + timedelta(days=2)
    withings_state(sandbox.state.extras).configure(now=later.isoformat())
    before = sandbox.state.counters.get("withings.v2.measure:getintradayactivity")
    incremental = Harness(tmp_path / "incremental", recent_days=3, clock_at=later)
    outcome = incremental.run(DownloadJob(account, "withings", "incremental"))
    assert outcome.continuation is None and not outcome.streams_failed
    # no lastupdate: [cursor - 1 h overlap, now) read in one-day windows, 3 calls for 2 days and an hour
    assert sandbox.state.counters.get("withings.v2.measure:getintradayactivity") == before + 3
    minutes = [datetime.fromisoformat(when[0]) for _, name, when, _ in _points(incremental)
               if name.endswith(".interval.step.count")
               and datetime.fromisoformat(when[1]) - datetime.fromisoformat(when[0]) == timedelta(minutes=1)]
    assert minutes and min(minutes) >= (NOW - timedelta(hours=1)).replace(tzinfo=None)
    assert max(minutes) > (later - timedelta(hours=6)).replace(tzinfo=None)
    assert cursors(account)["intraday_activity"][0] == later


def test_an_incremental_sync_emits_what_changed_since_the_cursor(tmp_path, sandbox, account):
    backfill = Harness(tmp_path / "backfill", recent_days=20)
    backfill.run(DownloadJob(account, "withings", "backfill"))
    later = NOW + timedelta(days=2)
    withings_state(sandbox.state.extras).configure(now=later.isoformat())  # two more days of data
    incremental = Harness(tmp_path / "incremental", recent_days=20, clock_at=later)
    outcome = incremental.run(DownloadJob(account, "withings", "incremental"))
    assert outcome.continuation is None and not outcome.streams_failed
    old, new = backfill.facts(), incremental.facts()
    added = new - old
    assert added and len(new & old) < len(added)  # repeats only from the re-read overlap
    assert sandbox.state.counters.get("withings.measure:getmeas") >= 2
    assert all(until == later for until, _, _ in cursors(account).values())
