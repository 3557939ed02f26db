"""Recent first, then the history newest to oldest: the engine's real parts, the sandbox, PostgreSQL."""

import json
from datetime import timedelta

import pytest

from shared.errors import SinkError
from shared.jobs import DownloadJob
from shared.providers import get_provider
from tests.connect.conftest import call, http_request
from tests.sync.support import NOW, CrashAfterSend, Harness, connect_account, pin_sandbox_clock

BACKFILL_DAYS = 20


@pytest.fixture(params=["oura", "google_fit"])
def provider(request):
    return request.param


@pytest.fixture
def account(sandbox, database, provider):
    pin_sandbox_clock(sandbox, provider)
    return connect_account(sandbox, provider)


def history(connection_id) -> dict[str, tuple]:
    """Return {stream: (synced_until, history_from, history_goal, last_record_at)}."""
    from shared.db import get_database

    with get_database().transaction() as cursor:
        cursor.execute("SELECT stream, synced_until, history_from, history_goal, last_record_at FROM sync_cursors"
                       " WHERE connection_id = %s AND status = 'ok'", (str(connection_id),))
        return {row[0]: row[1:] for row in cursor.fetchall()}


def one_pass_facts(folder, account, provider):
    """What a single oldest-first pass over the whole history delivers (then the cursors are reset)."""
    harness = Harness(folder, backfill_days=BACKFILL_DAYS, recent_days=BACKFILL_DAYS)
    harness.run_to_completion(DownloadJob(account, provider, "backfill"))
    from shared.db import get_database

    with get_database().transaction() as cursor:
        cursor.execute("DELETE FROM sync_cursors WHERE connection_id = %s", (str(account),))
        cursor.execute("DELETE FROM delivered_records")  # the run under test must deliver everything again
    return harness.facts()


def test_the_first_job_reads_the_recent_days_of_every_stream_and_the_history_completes_it(
        tmp_path, sandbox, account, provider):
    expected = one_pass_facts(tmp_path / "one-pass", account, provider)
    harness = Harness(tmp_path / "run", backfill_days=BACKFILL_DAYS)
    first = harness.run(DownloadJob(account, provider, "backfill"))
    granted = set(first.streams_done)
    assert granted and not first.streams_failed
    assert first.history_job is not None and harness.queued == [(first.history_job, 0)]
    recent = history(account)
    assert set(recent) == granted
    assert all(row[:3] == (NOW, NOW - timedelta(days=3), NOW - timedelta(days=BACKFILL_DAYS))
               for row in recent.values())
    harness.run_to_completion(harness.queued.pop(0)[0])
    assert harness.facts() == expected
    done = history(account)
    assert all(row[:3] == (NOW, NOW - timedelta(days=BACKFILL_DAYS), NOW - timedelta(days=BACKFILL_DAYS))
               for row in done.values())
    assert any(row[3] is not None for row in done.values())


@pytest.mark.parametrize("crash_on", [1, 2], ids=["first-history-send", "second-history-send"])
def test_a_crash_in_the_history_resends_but_never_skips(tmp_path, sandbox, account, provider, crash_on):
    expected = one_pass_facts(tmp_path / "one-pass", account, provider)
    harness = Harness(tmp_path / "run", backfill_days=BACKFILL_DAYS)
    history_job = harness.run(DownloadJob(account, provider, "backfill")).history_job
    harness.queued.clear()
    harness.sink = CrashAfterSend(harness.sink, crash_on)
    with pytest.raises(SinkError):
        harness.run(history_job)
    harness.run_to_completion(history_job)  # the queue runs the message again
    assert harness.facts() == expected


def test_the_connections_api_shows_each_streams_progress(tmp_path, sandbox, account, provider):
    harness = Harness(tmp_path / "run", backfill_days=BACKFILL_DAYS)
    token = sandbox.state.oidc.mint("bob")

    def streams():
        answer = call("connections_list", http_request("GET", "connections", token=token))
        assert answer.status_code == 200
        listed = {c["provider"]: c for c in json.loads(answer.get_body())["connections"]}
        return {stream["stream"]: stream for stream in listed[provider]["streams"]}

    declared = {stream.name for stream in get_provider(provider).streams()}
    assert set(streams()) == declared and {s["status"] for s in streams().values()} <= {"pending", "not_granted"}
    harness.run(DownloadJob(account, provider, "backfill"))
    shown = [s for s in streams().values() if s["status"] == "ok"]
    assert shown and all(s["synced_through"] == NOW.isoformat() and not s["history_complete"]
                         and s["history_percent"] == 15 for s in shown)  # 3 of 20 days
    harness.run_to_completion(harness.queued.pop(0)[0])
    shown = [s for s in streams().values() if s["status"] == "ok"]
    assert all(s["history_complete"] and s["history_percent"] == 100
               and s["history_from"] == (NOW - timedelta(days=BACKFILL_DAYS)).isoformat() for s in shown)
