"""Metrics and spans with in-memory exporters: names, attributes, and nothing secret in them."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from shared.contract.records import DatastreamPacket, Event, Point
from shared.errors import ProviderRejected, ReauthRequired, SinkError
from shared.http.session import request_json
from shared.telemetry.metered_sink import MeteredSink
from shared.telemetry.signals import job_span, observed_refresh, scrub_url, timer_span
from tests.sync.test_engine_rules import NOW

SECRET = "ya29.secret-token-value"


class _Answers(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        status = 200 if self.path.startswith("/ok") else 404
        body = json.dumps({"fine": status == 200}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def provider_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_provider_calls_are_spans_with_scrubbed_urls_and_counted_by_status_class(telemetry, provider_server):
    spans, points = telemetry
    assert request_json("t-calls", "GET", f"{provider_server}/ok/path?access_token={SECRET}") == {"fine": True}
    with pytest.raises(ProviderRejected):
        request_json("t-calls", "GET", f"{provider_server}/missing", params={"access_token": SECRET})
    calls = [s for s in spans.get_finished_spans() if s.name == "provider call"]
    assert [s.attributes["url.full"] for s in calls] == [f"{provider_server}/ok/path", f"{provider_server}/missing"]
    assert [s.attributes["http.response.status_code"] for s in calls] == [200, 404]
    counted = {a["status_class"]: v for a, v in points()["personicle.provider.calls"] if a["provider"] == "t-calls"}
    assert counted == {"2xx": 1, "4xx": 1}
    assert SECRET not in repr([dict(s.attributes) for s in spans.get_finished_spans()])


def test_an_unreachable_provider_counts_as_no_answer(telemetry):
    _, points = telemetry
    with pytest.raises(Exception):
        request_json("t-down", "GET", "http://127.0.0.1:9/nothing")
    counted = {a["status_class"]: v for a, v in points()["personicle.provider.calls"] if a["provider"] == "t-down"}
    assert counted == {"none": 1}


def test_scrubbing_keeps_scheme_host_port_and_path_only():
    assert scrub_url("https://api.example:8443/oauth/revoke?access_token=x#frag") == "https://api.example:8443/oauth/revoke"


class _Sink:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail

    def send(self, records) -> None:
        if self.fail:
            raise SinkError("not confirmed")

    def close(self) -> None:
        pass


def _records():
    steps = DatastreamPacket("com.personicle.individual.datastreams.step.count", "u1", "t-source", "count", None,
                             (Point(NOW, 12),))
    sleep = Event("u1", NOW, NOW, "com.personicle.individual.events.sleep", "sleep", "t-source", {"duration": 1})
    return [steps, steps, sleep]


def test_records_are_counted_by_provider_stream_and_kind_once_confirmed(telemetry):
    _, points = telemetry
    MeteredSink(_Sink(), {"t-source": "t-sent"}).send(_records())
    with pytest.raises(SinkError):
        MeteredSink(_Sink(fail=True), {"t-source": "t-sent"}).send(_records())
    counted = {(a["stream"], a["kind"]): v for a, v in points()["personicle.records.sent"] if a["provider"] == "t-sent"}
    assert counted == {("com.personicle.individual.datastreams.step.count", "datastream"): 2,
                       ("com.personicle.individual.events.sleep", "event"): 1}


class _Provider:
    name = "t-refresh"


@pytest.mark.parametrize("raised, outcome", [(None, "refreshed"), (ReauthRequired("x", "gone"), "reauth_required"),
                                             (TimeoutError(), "failed")], ids=["ok", "reauth", "failed"])
def test_token_refreshes_are_counted_by_outcome(telemetry, raised, outcome):
    spans, points = telemetry

    @observed_refresh
    def refresh(provider, client, refresh_token):
        if raised is not None:
            raise raised
        return "tokens"

    before = {a["outcome"]: v for a, v in points().get("personicle.token.refreshes", []) if a["provider"] == "t-refresh"}
    try:
        refresh(_Provider(), None, SECRET)
    except Exception:
        pass
    after = {a["outcome"]: v for a, v in points()["personicle.token.refreshes"] if a["provider"] == "t-refresh"}
    assert after[outcome] == before.get(outcome, 0) + 1
    span = [s for s in spans.get_finished_spans() if s.name == "token refresh"][-1]
    assert dict(span.attributes) == {"personicle.provider": "t-refresh"}


def test_jobs_and_timer_runs_are_spans_with_their_ids(telemetry):
    spans, _ = telemetry
    with job_span("oura", "c-1", "manual", "inv-1"):
        pass
    with timer_span("timer_schedule_sync", "inv-2"):
        pass
    job, timer = spans.get_finished_spans()[-2:]
    assert dict(job.attributes) == {"personicle.provider": "oura", "personicle.connection_id": "c-1",
                                    "personicle.job.reason": "manual", "faas.invocation_id": "inv-1"}
    assert timer.name == "timer_schedule_sync" and timer.attributes["faas.invocation_id"] == "inv-2"


def test_webhook_notifications_are_counted_by_outcome(telemetry):
    from shared.telemetry.signals import count_webhook_notification

    _, points = telemetry
    count_webhook_notification("t-hooks", "queued", 3)
    count_webhook_notification("t-hooks", "refused:bad_signature")
    counted = {a["outcome"]: v for a, v in points()["personicle.webhook.notifications"] if a["provider"] == "t-hooks"}
    assert counted == {"queued": 3, "refused:bad_signature": 1}


def test_budget_use_and_waits_are_recorded_per_provider_and_window(telemetry, database):
    from shared.budget.gate import BudgetGate
    from shared.budget.limits import RequestBudget
    from shared.errors import BudgetSpent

    _, points = telemetry  # the meter counts for the whole session: a provider name no other test uses
    gate = BudgetGate(database, "t-budget", (RequestBudget(4, 60),), lambda: NOW)
    for _ in range(3):
        gate.spend()
    used = {a["window_seconds"]: v for a, v in points()["personicle.request_budget.used"] if a["provider"] == "t-budget"}
    assert used == {60: 0.75}
    gate.spend()
    with pytest.raises(BudgetSpent):
        gate.spend()
    used = {a["window_seconds"]: v for a, v in points()["personicle.request_budget.used"] if a["provider"] == "t-budget"}
    waits = [v for a, v in points()["personicle.request_budget.waits"] if a["provider"] == "t-budget"]
    assert used == {60: 1.0} and waits == [1]
