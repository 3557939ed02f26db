"""Engine cases beyond faults: a mapper bug caught by validation, Google Fit's end of service."""

from dataclasses import replace
from datetime import date

from shared.contract.records import DatastreamPacket, Point
from shared.jobs import DownloadJob
from shared.providers.oura.provider import OURA
from shared.sync.streams import Page
from tests.sync.support import NOW, Harness, connect_account, cursors, pin_sandbox_clock


def _connection_state(account):
    from shared.db import get_database

    with get_database().transaction() as cursor:
        cursor.execute("SELECT status, last_error FROM connections WHERE id = %s", (str(account),))
        return cursor.fetchone()


def test_an_invalid_record_stops_only_its_stream_and_names_the_field(tmp_path, sandbox, database):
    pin_sandbox_clock(sandbox, "oura")
    account = connect_account(sandbox, "oura")
    real = {stream.name: stream for stream in OURA.streams()}

    def broken_fetch(context, start, end, token):
        page = real["daily_activity"].fetch_page(context, start, end, token)
        bad = DatastreamPacket("com.personicle.individual.datastreams.step.count", context.individual_id,
                               context.source, "count", None, (Point(NOW, 12.5),))  # a float in an Integer stream
        return Page((*page.records, bad), page.next_page_token)

    broken = replace(real["daily_activity"], fetch_page=broken_fetch)
    harness = Harness(tmp_path / "run", backfill_days=20)
    engine = harness.engine()
    narrowed = replace(OURA, streams=lambda: (real["heartrate"], broken, real["workout"]))
    engine.providers = {"oura": narrowed}.get
    outcome = engine.run(DownloadJob(account, "oura", "backfill"))
    assert outcome.streams_done == ["heartrate", "workout"]
    assert "daily_activity" in outcome.streams_failed and "value" in outcome.streams_failed["daily_activity"]
    state = cursors(account)
    assert state["daily_activity"][0] is None and state["daily_activity"][1] == "error"
    assert state["heartrate"][0] == NOW and state["workout"][0] == NOW


def test_google_fit_after_its_end_date_is_marked_not_retried(tmp_path, sandbox, database):
    pin_sandbox_clock(sandbox, "google_fit")
    account = connect_account(sandbox, "google_fit")
    harness = Harness(tmp_path / "run")
    harness.settings = harness.settings.with_provider("google_fit", end_of_service=date(2026, 9, 30))
    outcome = harness.run(DownloadJob(account, "google_fit", "incremental"))
    assert outcome.service_ended and outcome.api_calls == 0 and outcome.continuation is None
    status, message = _connection_state(account)
    assert status == "error" and "stopped its service on 2026-09-30" in message


def test_google_fit_answering_gone_marks_the_connection(tmp_path, sandbox, database):
    from devtools.sandbox.providers.google_fit.knobs import fit_state

    pin_sandbox_clock(sandbox, "google_fit")
    account = connect_account(sandbox, "google_fit")
    fit_state(sandbox.state.extras).configure(end_of_service="gone")
    outcome = Harness(tmp_path / "run").run(DownloadJob(account, "google_fit", "backfill"))
    assert outcome.service_ended and outcome.continuation is None
    status, message = _connection_state(account)
    assert status == "error" and "410" in message
