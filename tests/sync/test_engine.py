"""The download engine against the sandbox over real HTTP, real PostgreSQL, the local sink."""

import itertools
from collections import Counter

import pytest

from devtools.sandbox.faults import Fault
from shared.errors import JobError, SinkError, TransientProviderError
from shared.jobs import DownloadJob
from shared.providers import get_provider
from tests.sync.support import NOW, CrashAfterSend, Harness, connect_account, cursors, pin_sandbox_clock

PROVIDERS = ["fitbit", "oura", "google_fit", "whoop", "withings"]
# The endpoint of each provider's first stream (fitbit steps, oura heartrate, google_fit activity, whoop cycle,
# withings measures).
DATA_ENDPOINT = {"fitbit": "googlehealth.reconcile", "oura": "oura.heartrate", "google_fit": "googlefit.aggregate",
                 "whoop": "whoop.cycle", "withings": "withings.measure"}
# Fitbit's per-minute and per-sample streams make a day cost several pages: keep its backfill short.
BACKFILL_DAYS = {"fitbit": 3, "oura": 20, "google_fit": 20, "whoop": 20, "withings": 20}


@pytest.fixture(params=PROVIDERS)
def provider(request):
    return request.param


@pytest.fixture
def account(sandbox, database, provider):
    pin_sandbox_clock(sandbox, provider)
    return connect_account(sandbox, provider)


_BASELINES = {}


@pytest.fixture
def baseline(tmp_path, sandbox, account, provider):
    """The record ids of a fault-free backfill (then the account is reset for the test's own run).

    Records depend only on the sandbox account's data and the fixed clock, so one backfill per
    provider serves every test.
    """
    if provider in _BASELINES:
        return _BASELINES[provider]
    harness = Harness(tmp_path / "baseline", backfill_days=BACKFILL_DAYS[provider])
    outcomes = harness.run_to_completion(DownloadJob(account, provider, "backfill"))
    assert not outcomes[-1].streams_failed
    ids = harness.record_ids()
    assert ids and len(ids) == len(set(ids))
    from shared.db import get_database

    with get_database().transaction() as cursor:
        cursor.execute("DELETE FROM sync_cursors WHERE connection_id = %s", (str(account),))
        cursor.execute("DELETE FROM delivered_records")
    _BASELINES[provider] = Baseline(set(ids), harness.facts())
    return _BASELINES[provider]


class Baseline:
    """A fault-free backfill: its record ids and what it delivered."""

    def __init__(self, ids, facts):
        self.ids = ids
        self.facts = facts


def test_backfill_delivers_every_record_once_and_advances_cursors(tmp_path, sandbox, account, provider, baseline):
    harness = Harness(tmp_path / "run", backfill_days=BACKFILL_DAYS[provider])
    outcomes = harness.run_to_completion(DownloadJob(account, provider, "backfill"))
    ids = harness.record_ids()
    assert set(ids) == baseline.ids and len(ids) == len(baseline.ids)
    assert outcomes[0].records_sent > 0 and all(outcome.continuation is None for outcome in outcomes)
    assert all(until == NOW and status == "ok" for until, status, _ in cursors(account).values())


@pytest.mark.parametrize("fault", [
    Fault("DATA", status=503, count=2),
    Fault("DATA", kind="non_json", status=502, count=1),
    Fault("DATA", kind="drop", count=1),
], ids=["5xx-retried", "html-502-retried", "dropped-retried"])
def test_transient_faults_are_retried_within_the_job(tmp_path, sandbox, account, provider, baseline, fault):
    sandbox.state.faults.add(Fault(DATA_ENDPOINT[provider], kind=fault.kind, status=fault.status, count=fault.count))
    harness = Harness(tmp_path / "run", backfill_days=BACKFILL_DAYS[provider])
    harness.run_to_completion(DownloadJob(account, provider, "backfill"))
    ids = harness.record_ids()
    assert set(ids) == baseline.ids and len(ids) == len(baseline.ids)


@pytest.mark.parametrize("fault", [
    Fault("DATA", status=503, count=20),
    Fault("DATA", kind="non_json", status=200, count=20),
    Fault("DATA", kind="slow", delay=3, count=20),
], ids=["5xx-persisting", "malformed-json", "slow-past-timeout"])
def test_persisting_faults_raise_so_the_queue_retries_and_nothing_is_lost(
        tmp_path, sandbox, account, provider, baseline, monkeypatch, fault):
    monkeypatch.setattr("shared.http.session.TIMEOUT_SECONDS", (2, 1))
    sandbox.state.faults.add(Fault(DATA_ENDPOINT[provider], kind=fault.kind, status=fault.status,
                                   count=fault.count, delay=fault.delay))
    harness = Harness(tmp_path / "run", backfill_days=BACKFILL_DAYS[provider])
    with pytest.raises(TransientProviderError):
        harness.run(DownloadJob(account, provider, "backfill"))
    sandbox.state.faults.clear()
    harness.run_to_completion(DownloadJob(account, provider, "backfill"))  # the queue's retry
    assert harness.facts() == baseline.facts


@pytest.mark.parametrize("retry_after", ["17", None], ids=["with-retry-after", "without-retry-after"])
def test_rate_limit_becomes_a_delayed_continuation(tmp_path, sandbox, account, provider, baseline, retry_after):
    headers = {"Retry-After": retry_after} if retry_after else {}
    # An explicit body: the imitation's default 429 of some providers carries its own Retry-After.
    sandbox.state.faults.add(Fault(DATA_ENDPOINT[provider], status=429, headers=headers, count=1,
                                   body={"detail": "Rate limit exceeded"}))
    harness = Harness(tmp_path / "run", backfill_days=BACKFILL_DAYS[provider])
    first = harness.run(DownloadJob(account, provider, "backfill"))
    assert first.continuation is not None
    delay = harness.queued[0][1]
    assert delay == 18 if retry_after else 60 <= delay <= 121
    harness.run_to_completion(harness.queued.pop(0)[0])
    ids = harness.record_ids()
    assert set(ids) == baseline.ids and len(ids) == len(baseline.ids)  # a continuation re-reads nothing


@pytest.mark.parametrize("crash_on", [1, 3], ids=["first-send", "third-send"])
def test_crash_between_sink_send_and_cursor_write_resends_but_never_skips(
        tmp_path, sandbox, account, provider, baseline, crash_on):
    harness = Harness(tmp_path / "run", backfill_days=BACKFILL_DAYS[provider])
    harness.sink = CrashAfterSend(harness.sink, crash_on)
    with pytest.raises(SinkError):
        harness.run(DownloadJob(account, provider, "backfill"))
    harness.run_to_completion(DownloadJob(account, provider, "backfill"))
    assert harness.facts() == baseline.facts
    ids = Counter(harness.record_ids())
    assert baseline.ids <= set(ids)
    assert any(count > 1 for count in ids.values())  # the crashed send's records came again, same ids


def test_budget_exhaustion_continues_until_done(tmp_path, sandbox, account, provider, baseline):
    ticks = itertools.count()
    harness = Harness(tmp_path / "run", backfill_days=BACKFILL_DAYS[provider], budget_seconds=3, monotonic=lambda: float(next(ticks)))
    outcomes = harness.run_to_completion(DownloadJob(account, provider, "backfill"))
    assert len(outcomes) > 1 and all(o.continuation or o.history_job for o in outcomes[:-1])
    assert outcomes[-1].continuation is None and outcomes[-1].history_job is None
    ids = harness.record_ids()
    assert set(ids) == baseline.ids and len(ids) == len(baseline.ids)


def test_incremental_after_backfill_emits_only_new_records(tmp_path, sandbox, account, provider, baseline):
    from datetime import timedelta

    if provider == "withings":
        pytest.skip("withings reads what changed since the cursor, and the imitation's data ends at NOW: "
                    "tests/providers/withings/test_streams.py moves that end for its incremental test")
    harness = Harness(tmp_path / "backfill", backfill_days=BACKFILL_DAYS[provider])
    harness.run(DownloadJob(account, provider, "backfill"))
    later = Harness(tmp_path / "incremental", backfill_days=BACKFILL_DAYS[provider],
                    clock_at=NOW + timedelta(days=2))
    later.run(DownloadJob(account, provider, "incremental"))
    fresh = set(later.record_ids())
    assert fresh and len(fresh) < len(baseline.ids) / 3
    old = {line["record_id"]: line for line in harness.lines()}
    repeated = fresh & set(old)
    assert len(repeated) < len(fresh)  # mostly new data; repeats only from the re-read overlap
    assert all(old[rid]["body"] != line["body"] for line in later.lines() if (rid := line["record_id"]) in old)


def test_a_second_incremental_sync_sends_no_event_twice(tmp_path, sandbox, account, provider):
    if provider == "withings":
        pytest.skip("withings reads by `lastupdate`, and every record of the imitation was last updated at its "
                    "data end: a read since the cursor returns records older than the ledger keeps (twice the "
                    "overlap), which it sends again")
    from dataclasses import replace
    from datetime import timedelta

    from shared.db import get_database
    from shared.sync.deliveries import SendEverything

    Harness(tmp_path / "backfill", backfill_days=BACKFILL_DAYS[provider]).run_to_completion(
        DownloadJob(account, provider, "backfill"))  # the recent days, then the whole history

    def incremental(folder, ledger):
        harness = Harness(folder, clock_at=NOW + timedelta(hours=1))
        harness.settings = replace(harness.settings, sync_overlap_minutes=2880)
        engine = harness.engine() if ledger else replace(harness.engine(), deliveries=SendEverything())
        with get_database().transaction() as cursor:  # both runs read the same window
            cursor.execute("UPDATE sync_cursors SET synced_until = %s WHERE connection_id = %s",
                           (NOW, str(account)))
        outcome = engine.run(DownloadJob(account, provider, "incremental"))
        kinds = Counter(line["kind"] for line in harness.lines())
        return outcome, kinds

    after, sent_after = incremental(tmp_path / "after", ledger=True)
    before, sent_before = incremental(tmp_path / "before", ledger=False)
    print(f"{provider}: incremental sync over an unchanged 48-hour overlap: without the ledger "
          f"{sent_before['event']} events and {sent_before['datastream']} packets, with it "
          f"{sent_after['event']} events and {sent_after['datastream']} packets")
    assert not after.streams_failed and not before.streams_failed
    assert sent_before["event"] > 0 and sent_after["event"] == 0
    assert sent_after["datastream"] <= sent_before["datastream"]


def test_revoked_grant_mid_sync_marks_needs_reauth_and_stops(tmp_path, sandbox, account, provider):
    from shared.db import get_database

    sandbox.state.grants.revoke_grant(sandbox.state.grants.grants(None, "bob")[0].grant_id)
    harness = Harness(tmp_path / "run", backfill_days=BACKFILL_DAYS[provider])
    outcome = harness.run(DownloadJob(account, provider, "backfill"))
    assert outcome.reauth_required and outcome.continuation is None
    with get_database().transaction() as cursor:
        cursor.execute("SELECT status FROM connections WHERE id = %s", (str(account),))
        assert cursor.fetchone()[0] == "needs_reauth"


def test_missing_scope_skips_the_stream_and_records_it(tmp_path, sandbox, account, provider):
    stream = next(iter(get_provider(provider).streams())).name
    denied = {"error": {"code": 403, "message": "Request had insufficient authentication scopes.",
                        "status": "PERMISSION_DENIED",
                        "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                     "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}]}}
    sandbox.state.faults.add(Fault(DATA_ENDPOINT[provider], status=403, body=denied, count=1))
    harness = Harness(tmp_path / "run", backfill_days=BACKFILL_DAYS[provider])
    outcome = harness.run(DownloadJob(account, provider, "backfill", streams=(stream,)))
    assert stream in outcome.streams_failed
    assert cursors(account)[stream][1] == "skipped"


@pytest.mark.parametrize(("job", "reason"), [
    (lambda account, provider: DownloadJob(account, provider, "backfill", streams=("no-such-stream",)), "unknown streams"),
    (lambda account, provider: DownloadJob(__import__("uuid").uuid4(), provider, "backfill"), "unknown connection"),
    (lambda account, provider: DownloadJob(account, "oura" if provider != "oura" else "fitbit", "backfill"),
     "does not match"),
], ids=["unknown-stream", "unknown-connection", "wrong-provider"])
def test_undeliverable_jobs_are_refused(tmp_path, sandbox, account, provider, job, reason):
    with pytest.raises(JobError, match=reason):
        Harness(tmp_path).run(job(account, provider))


def test_job_for_a_revoked_connection_is_refused(tmp_path, sandbox, account, provider):
    from tests.connect.conftest import call, http_request

    call("connections_item", http_request("DELETE", f"connections/{provider}", token=sandbox.state.oidc.mint("bob"),
                                          route_params={"provider": provider}))
    with pytest.raises(JobError, match="revoked"):
        Harness(tmp_path).run(DownloadJob(account, provider, "backfill"))
