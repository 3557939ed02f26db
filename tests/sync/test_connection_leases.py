"""One job per connection, and no delivery after a disconnect: the engine on real PostgreSQL and the sandbox."""

import threading
import time
import uuid
from datetime import timedelta

from shared.db import get_database
from shared.errors import JobError
from shared.jobs import DownloadJob
from shared.sync.sync_store import PostgresSyncStore
from tests.connect.conftest import call, connect, http_request, redirect_status
from tests.sync.support import NOW, Harness, connect_account, cursors, pin_sandbox_clock


class GatedSink:
    """A sink that records when each send happened and can run a step inside its first send."""

    def __init__(self, sink, during_first_send=None) -> None:
        self.sink = sink
        self.during_first_send = during_first_send
        self.sent_at: list[float] = []

    def send(self, records) -> None:
        if not self.sent_at and self.during_first_send is not None:
            self.during_first_send()
        self.sink.send(records)
        self.sent_at.append(time.monotonic())

    def close(self) -> None:
        self.sink.close()


def test_a_job_for_a_leased_connection_is_deferred_and_runs_once_the_lease_is_free(tmp_path, sandbox, database):
    pin_sandbox_clock(sandbox, "oura")
    connection_id = connect_account(sandbox, "oura")
    store, other = PostgresSyncStore(get_database()), uuid.uuid4()
    assert store.acquire_lease(connection_id, other, NOW, NOW + timedelta(hours=1))
    harness = Harness(tmp_path)
    outcome = harness.run(DownloadJob(connection_id, "oura", "backfill"))
    assert outcome.deferred and outcome.api_calls == 0 and harness.record_ids() == []
    assert harness.queued[0][0] == DownloadJob(connection_id, "oura", "backfill")
    store.release_lease(connection_id, other)
    assert harness.run(DownloadJob(connection_id, "oura", "backfill")).streams_done
    assert store.acquire_lease(connection_id, other, NOW, NOW + timedelta(hours=1))  # the job gave it back


def test_two_jobs_started_together_for_one_connection_never_run_side_by_side(tmp_path, sandbox, database):
    pin_sandbox_clock(sandbox, "oura")
    connection_id = connect_account(sandbox, "oura")
    second_done = threading.Event()
    first = Harness(tmp_path / "first")
    second = Harness(tmp_path / "second")
    outcomes = {}

    def run_second() -> None:
        outcomes["second"] = second.run(DownloadJob(connection_id, "oura", "backfill"))
        second_done.set()

    first.sink = GatedSink(first.sink, lambda: (threading.Thread(target=run_second).start(), second_done.wait(30)))
    outcomes["first"] = first.run(DownloadJob(connection_id, "oura", "backfill"))
    assert second_done.is_set()
    assert outcomes["first"].streams_done and not outcomes["first"].deferred
    assert outcomes["second"].deferred and second.record_ids() == [] and len(second.queued) == 1


def test_after_a_disconnect_answers_no_record_of_the_connection_reaches_the_sink(tmp_path, sandbox, database):
    pin_sandbox_clock(sandbox, "oura")
    connection_id = connect_account(sandbox, "oura")
    answered: list[float] = []

    def disconnect() -> None:
        request = http_request("DELETE", "connections/oura", token=sandbox.state.oidc.mint("bob"),
                               route_params={"provider": "oura"})
        answer = call("connections_item", request)
        assert answer.status_code == 200
        answered.append(time.monotonic())

    def start_disconnect() -> None:
        threading.Thread(target=disconnect).start()
        _wait_until_blocked(database)  # the DELETE reached its UPDATE and waits for this delivery

    harness = Harness(tmp_path)
    harness.sink = GatedSink(harness.sink, start_disconnect)
    try:
        stopped = harness.run(DownloadJob(connection_id, "oura", "backfill")).superseded
    except JobError as error:  # the revoked token's refresh found the connection gone: the job is dropped
        stopped = "not active" in str(error)
    deadline = time.monotonic() + 30
    while not answered and time.monotonic() < deadline:
        time.sleep(0.05)
    assert answered and stopped and harness.queued == []
    assert harness.sink.sent_at and all(sent < answered[0] for sent in harness.sink.sent_at)
    assert len(harness.sink.sent_at) == 1  # the job stopped at the next page


def _wait_until_blocked(database) -> None:
    """Return once another session waits for a row lock (at most 20 s)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with database.transaction() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("no session waited for the connection row")


def test_a_reconnect_stops_the_job_still_running_for_the_previous_link(tmp_path, sandbox, database):
    pin_sandbox_clock(sandbox, "oura")
    connection_id = connect_account(sandbox, "oura")
    reconnected = threading.Event()

    def reconnect() -> None:
        _connect_as(sandbox, "bob", "bob")
        reconnected.set()

    def start_reconnect() -> None:
        threading.Thread(target=reconnect).start()
        _wait_until_blocked(database)  # the callback reached the row and waits for this delivery

    harness = Harness(tmp_path)
    harness.sink = GatedSink(harness.sink, start_reconnect)
    outcome = harness.run(DownloadJob(connection_id, "oura", "backfill"))
    assert reconnected.wait(30)
    assert outcome.superseded and len(harness.sink.sent_at) == 1 and harness.queued == []


def _connect_as(sandbox, user: str, account: str) -> None:
    token = sandbox.state.oidc.mint(user)
    assert redirect_status(connect(token, "oura", sandbox_user=account))["status"] == "connected"


def test_reconnecting_another_account_resets_the_cursors_and_the_same_account_keeps_them(tmp_path, sandbox, database):
    pin_sandbox_clock(sandbox, "oura")
    connection_id = connect_account(sandbox, "oura", user="carol")
    Harness(tmp_path).run(DownloadJob(connection_id, "oura", "backfill"))
    synced, first_account = cursors(connection_id), _account(database)
    assert synced
    _connect_as(sandbox, "carol", "carol")
    assert cursors(connection_id) == synced and _account(database) == (connection_id, first_account[1])
    _connect_as(sandbox, "carol", "alice")
    row_id, account = _account(database)
    assert row_id == connection_id and account != first_account[1] and cursors(connection_id) == {}


def _account(database):
    with database.transaction() as cursor:
        cursor.execute("SELECT id, provider_user_id FROM connections WHERE user_id = 'carol' AND provider = 'oura'")
        row_id, account = cursor.fetchone()
    return uuid.UUID(str(row_id)), account
