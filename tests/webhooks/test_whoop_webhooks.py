"""WHOOP webhooks over real HTTP: signed deliveries of a new day into the sink, the sleep -> cycle ->
recovery path, refusals, replays and deletions (docs/providers/whoop.md 7)."""

from __future__ import annotations

import json
import time

import requests

from devtools.sandbox.providers.whoop.records import record_uuid
from devtools.sandbox.providers.whoop.webhooks import event, signed_headers
from devtools.sandbox.wearer.profiles import profile_of
from shared.db import get_database
from tests.conftest import API
from tests.sync.support import NOW, connect_account, pin_sandbox_clock
from tests.webhooks import support
from tests.webhooks.support import SANDBOX, clear, drain, pending_windows, post, queued_jobs

STREAMS = ["recovery", "sleep", "workout"]


def _dashboard(url: str) -> None:
    requests.post(f"{SANDBOX}/_sandbox/whoop/webhooks", json={"url": ""}, timeout=10)
    if url:
        requests.post(f"{SANDBOX}/_sandbox/whoop/webhooks", json={"url": url}, timeout=10)


def _objects() -> list[tuple[str, str]]:
    with get_database().transaction() as cursor:
        cursor.execute("SELECT stream, object_id FROM webhook_objects ORDER BY stream, object_id")
        return cursor.fetchall()


def _deletions() -> list[tuple[str, str]]:
    with get_database().transaction() as cursor:
        cursor.execute("SELECT stream, object_id FROM webhook_deletions ORDER BY id")
        return cursor.fetchall()


def _sleep_of_day_before_now() -> str:
    return record_uuid(profile_of("bob"), "sleep", NOW.date())


def test_a_new_day_reaches_the_sink_through_signed_notifications(sandbox, app_host, webhook_tables):
    pin_sandbox_clock(sandbox, "whoop")
    connect_account(sandbox, "whoop")
    _dashboard(f"{API}/webhooks/whoop")
    clear("whoop")
    before = support.sink_mark()
    sandbox.state.counters.clear()
    answer = requests.post(f"{SANDBOX}/_sandbox/whoop/new-day", json={"user": "bob"}, timeout=60).json()
    assert answer["sent"] >= 2 and answer["answers"] == {"204": answer["sent"]}
    jobs = queued_jobs("whoop")
    streams = {job["streams"][0] for job in jobs}
    assert {"recovery", "sleep"} <= streams <= set(STREAMS) and {job["reason"] for job in jobs} == {"webhook"}
    assert {stream for stream, _ in _objects()} == streams
    assert drain(app_host, "whoop") >= 1
    counters = sandbox.state.counters.snapshot()
    # A recovery event names its sleep: the sleep is read by id, then its cycle's recovery.
    assert counters.get("whoop.sleep_by_id", 0) >= 2 and counters.get("whoop.cycle_recovery", 0) >= 1
    # Each located record is read with one collection call; the notices' own minute is not read.
    assert sum(counters.get(f"whoop.{name}", 0) for name in STREAMS) == answer["sent"]
    new = [line for line in support.sink_lines_since(before) if line["partition_key"] == "bob"]
    kinds = {line["body"].get("streamName", line["body"].get("event_type")) for line in new}
    assert any(name.endswith("recovery_score") for name in kinds)
    assert any(name.endswith("events.sleep") for name in kinds)
    day = answer["day_start"][:10]
    assert any(moment.startswith(day) for line in new for moment in support.record_times(line))
    assert _objects() == [] and pending_windows() == []


def test_forged_stale_and_unsigned_notifications_are_refused_and_queue_nothing(sandbox, app_host, webhook_tables):
    connect_account(sandbox, "whoop")
    clear("whoop")
    body = event("bob", _sleep_of_day_before_now(), "sleep.updated")
    cases = {
        "other key": signed_headers(body, secret="not-the-client-secret"),
        "stale": signed_headers(body, int(time.time() * 1000) - 6 * 60 * 1000),
        "ahead": signed_headers(body, int(time.time() * 1000) + 6 * 60 * 1000),
        "unsigned": {"Content-Type": "application/json"},
        "body changed": dict(signed_headers(body), **{"Content-Type": "application/json"}),
    }
    for name, headers in cases.items():
        sent = body + b" " if name == "body changed" else body
        assert post("whoop", sent, headers).status_code == 401, name
    assert queued_jobs("whoop") == [] and pending_windows() == [] and _objects() == []


def test_a_repeated_event_is_acknowledged_and_not_acted_on_again(sandbox, app_host, webhook_tables):
    connect_account(sandbox, "whoop")
    clear("whoop")
    body = event("bob", _sleep_of_day_before_now(), "sleep.updated")
    assert post("whoop", body, signed_headers(body)).status_code == 204
    assert len(queued_jobs("whoop")) == 1
    clear("whoop")
    with get_database().transaction() as cursor:
        cursor.execute("DELETE FROM webhook_windows")
        cursor.execute("DELETE FROM webhook_objects")
    # WHOOP's retry: the same event (trace id), signed again later.
    assert post("whoop", body, signed_headers(body, int(time.time() * 1000) + 1000)).status_code == 204
    assert queued_jobs("whoop") == [] and pending_windows() == [] and _objects() == []


def test_deletions_are_recorded_with_the_record_id_and_read_nothing(sandbox, app_host, webhook_tables):
    connection_id = connect_account(sandbox, "whoop")
    clear("whoop")
    sleep = _sleep_of_day_before_now()
    for kind in ("sleep.deleted", "recovery.deleted"):
        body = event("bob", sleep, kind)
        assert post("whoop", body, signed_headers(body)).status_code == 204
    assert _deletions() == [("sleep", sleep), ("recovery", sleep)]
    with get_database().transaction() as cursor:
        cursor.execute("SELECT DISTINCT connection_id FROM webhook_deletions")
        assert [str(row[0]) for row in cursor.fetchall()] == [str(connection_id)]
    assert queued_jobs("whoop") == [] and _objects() == []


def test_a_record_that_is_gone_when_the_job_runs_is_skipped(sandbox, app_host, webhook_tables):
    pin_sandbox_clock(sandbox, "whoop")
    connect_account(sandbox, "whoop")
    clear("whoop")
    before = support.sink_mark()
    body = event("bob", "00000000-0000-4000-8000-000000000000", "recovery.updated")
    assert post("whoop", body, signed_headers(body)).status_code == 204
    assert drain(app_host, "whoop") == 1
    assert _objects() == [] and pending_windows() == []
    assert [line for line in support.sink_lines_since(before) if line["partition_key"] == "bob"] == []


def test_events_of_unknown_members_and_types_we_do_not_read_are_acknowledged(sandbox, app_host, webhook_tables):
    clear("whoop")
    stranger = json.dumps({"user_id": 1, "id": _sleep_of_day_before_now(), "type": "sleep.updated",
                           "trace_id": "t-stranger"}).encode()
    cycle = json.dumps({"user_id": 1, "id": 5, "type": "cycle.updated", "trace_id": "t-cycle"}).encode()
    for body in (stranger, cycle):
        assert post("whoop", body, signed_headers(body)).status_code == 204
    assert queued_jobs("whoop") == []
