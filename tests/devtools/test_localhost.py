"""The local Functions host against real Azurite and real HTTP, serving the fixture app."""

from __future__ import annotations

import base64
import json
import os
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import azure.functions as func
import pytest
import requests
from azure.core.exceptions import ResourceNotFoundError
from azure.storage.queue import QueueClient, TextBase64DecodePolicy, TextBase64EncodePolicy

from devtools.localhost import HostConfigError, LocalHost, LocalSettings
from devtools.localhost.index import HttpFunction
from devtools.localhost.routes import Router
from devtools.localhost.settings import apply_values, load_local_settings
from devtools.localhost.timers import Schedule
from tests.devtools import localhost_app
from tests.devtools.localhost_app import CALLS

RUN = uuid.uuid4().hex[:10]
ORIGIN = "http://127.0.0.1:7080"
HOST_JSON = {
    "version": "2.0",
    "extensions": {
        "http": {"routePrefix": "api"},
        "queues": {"messageEncoding": "base64", "batchSize": 4, "newBatchThreshold": 2,
                   "maxDequeueCount": 3, "visibilityTimeout": "00:00:01", "maxPollingInterval": "00:00:01"},
    },
}


def _storage() -> str:
    value = os.environ.get("AzureWebJobsStorage", "")
    if "127.0.0.1" not in value:
        pytest.fail("AzureWebJobsStorage must point at the test Azurite: "
                    'eval "$(devtools/stack.sh env test)"')
    return value


def _queue(name: str, *, encoded: bool = True) -> QueueClient:
    if encoded:
        return QueueClient.from_connection_string(
            _storage(), name, message_encode_policy=TextBase64EncodePolicy(),
            message_decode_policy=TextBase64DecodePolicy())
    return QueueClient.from_connection_string(_storage(), name)


def _environ(tag: str) -> dict[str, str]:
    return {**os.environ, "AzureWebJobsStorage": _storage(),
            "LOCALHOST_TEST_ECHO_QUEUE": f"lh-echo-{tag}-{RUN}",
            "LOCALHOST_TEST_FAILING_QUEUE": f"lh-failing-{tag}-{RUN}"}


def _delete_queues(environ: dict[str, str]) -> None:
    for setting in ("LOCALHOST_TEST_ECHO_QUEUE", "LOCALHOST_TEST_FAILING_QUEUE"):
        for name in (environ[setting], environ[setting] + "-poison"):
            try:
                _queue(name).delete_queue()
            except ResourceNotFoundError:
                pass


@pytest.fixture(scope="module")
def manual_host():
    """A host serving HTTP and admin only; queue polls and timers are driven by the tests."""
    environ = _environ("manual")
    host = LocalHost(localhost_app.app, HOST_JSON, port=0, environ=environ,
                     settings=LocalSettings(cors_origins=(ORIGIN,)))
    host.start(triggers=False)
    yield host
    host.stop()
    _delete_queues(environ)


@pytest.fixture
def running_host():
    """A host polling its queues and firing its timers in the background."""
    environ = _environ("running")
    host = LocalHost(localhost_app.app, HOST_JSON, port=0, environ=environ)
    host.start()
    yield host
    host.stop()
    _delete_queues(environ)


def _url(host: LocalHost, path: str) -> str:
    return host.base_url + path


def test_route_parameters_query_and_body_reach_the_handler(manual_host):
    response = requests.post(_url(manual_host, "/api/items/42/blue?q=x&q=y&empty="), data=b"raw body",
                             headers={"X-Sample": "s1"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Handled-By"] == "items"
    echoed = response.json()
    assert echoed["method"] == "POST"
    assert echoed["route_params"] == {"item_id": "42", "label": "blue"}
    assert echoed["params"] == {"q": "x,y", "empty": ""}
    assert echoed["body"] == "raw body"
    assert echoed["header"] == "s1"
    assert echoed["url"].endswith("/api/items/42/blue?q=x&q=y&empty=")


def test_optional_route_parameter_may_be_absent(manual_host):
    response = requests.get(_url(manual_host, "/api/items/7"), timeout=10)
    assert response.status_code == 200
    assert response.json()["route_params"] == {"item_id": "7"}


def test_literal_route_wins_over_parameter_route(manual_host):
    latest = requests.get(_url(manual_host, "/api/files/latest"), timeout=10)
    named = requests.get(_url(manual_host, "/api/files/report%20one"), timeout=10)
    assert (latest.status_code, latest.text) == (200, "latest")
    assert latest.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert (named.status_code, named.text) == (201, "file:report one")


@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("DELETE", "/api/items/1", 405, "method_not_allowed"),
    ("GET", "/api/nowhere", 404, "not_found"),
    ("GET", "/api/items/not-a-number", 404, "not_found"),
    ("GET", "/items/1", 404, "not_found"),
    ("GET", "/api/boom", 500, "internal_error"),
], ids=["wrong-method", "unknown-route", "constraint-mismatch", "missing-prefix", "handler-raises"])
def test_http_errors_answer_json(manual_host, method, path, status, code):
    response = requests.request(method, _url(manual_host, path), timeout=10)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    if status == 405:
        assert response.headers["Allow"] == "GET, POST"


def test_cors_preflight_and_response_headers_for_allowed_origin(manual_host):
    preflight = requests.options(_url(manual_host, "/api/items/1"), timeout=10, headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    simple = requests.get(_url(manual_host, "/api/items/1"), headers={"Origin": ORIGIN}, timeout=10)
    assert simple.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_cors_headers_absent_for_other_origin(manual_host):
    response = requests.get(_url(manual_host, "/api/items/1"), headers={"Origin": "http://evil.test"},
                            timeout=10)
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


def test_base64_message_from_our_encoder_reaches_the_handler_as_the_same_text(manual_host):
    text = json.dumps({"v": 1, "provider": "oura", "note": f"héllo ✓ {RUN}"})
    queue_name = manual_host.queue_workers["echo"].function.queue_name
    _queue(queue_name).send_message(text)
    assert manual_host.poll_queue("echo") == 1
    received = CALLS.matching(lambda c: c.function == "echo" and RUN in c.body)
    assert [(c.body, c.dequeue_count) for c in received] == [(text, 1)]
    assert _queue(queue_name).get_queue_properties().approximate_message_count == 0


def test_failing_message_is_retried_then_moved_to_poison_with_body_intact(manual_host):
    text = f"poison me {uuid.uuid4()}"
    queue_name = manual_host.queue_workers["failing"].function.queue_name
    _queue(queue_name).send_message(text)
    poison = _queue(queue_name + "-poison")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        manual_host.poll_queue("failing")
        try:
            poisoned = list(poison.peek_messages(max_messages=5))
        except ResourceNotFoundError:
            poisoned = []
        if poisoned:
            break
        time.sleep(0.2)
    attempts = CALLS.matching(lambda c: c.function == "failing" and c.body == text)
    assert [c.dequeue_count for c in attempts] == [1, 2, 3]
    assert [m.content for m in poisoned] == [text]
    raw = list(_queue(queue_name + "-poison", encoded=False).peek_messages(max_messages=5))
    assert [m.content for m in raw] == [base64.b64encode(text.encode()).decode()]
    assert _queue(queue_name).get_queue_properties().approximate_message_count == 0


def test_message_that_is_not_base64_goes_to_poison_without_a_run(manual_host):
    text = f"plain text, not base64 {uuid.uuid4()}!"
    queue_name = manual_host.queue_workers["echo"].function.queue_name
    _queue(queue_name, encoded=False).send_message(text)
    assert manual_host.poll_queue("echo") == 1
    poisoned = list(_queue(queue_name + "-poison", encoded=False).peek_messages(max_messages=5))
    assert [m.content for m in poisoned] == [text]
    assert CALLS.matching(lambda c: c.body == text) == []


def test_admin_endpoint_runs_a_queue_function_with_the_input_as_message(manual_host):
    text = f"from admin {uuid.uuid4()}"
    response = requests.post(_url(manual_host, "/admin/functions/echo"), json={"input": text}, timeout=10)
    assert response.status_code == 202
    calls = CALLS.wait_for(lambda c: c.function == "echo" and c.body == text)
    assert [(c.body, c.dequeue_count) for c in calls] == [(text, 1)]


def test_admin_endpoint_fires_a_timer(manual_host):
    before = len(CALLS.matching(lambda c: c.function == "tick"))
    response = requests.post(_url(manual_host, "/admin/functions/tick"), json={"input": ""}, timeout=10)
    assert response.status_code == 202
    assert len(CALLS.wait_for(lambda c: c.function == "tick", count=before + 1)) == before + 1


@pytest.mark.parametrize(("name", "status"), [("no-such-function", 404), ("items", 400)],
                         ids=["unknown-function", "http-function"])
def test_admin_endpoint_refuses(manual_host, name, status):
    response = requests.post(_url(manual_host, f"/admin/functions/{name}"), json={"input": ""}, timeout=10)
    assert response.status_code == status


def test_background_host_fires_the_timer_on_schedule_and_polls_its_queue(running_host):
    ticks = CALLS.wait_for(lambda c: c.function == "tick", count=len(CALLS.matching(
        lambda c: c.function == "tick")) + 2, timeout=30)
    assert ticks and ticks[-1].past_due is False
    text = f"polled {uuid.uuid4()}"
    _queue(running_host.queue_workers["echo"].function.queue_name).send_message(text)
    assert [c.body for c in CALLS.wait_for(lambda c: c.body == text, timeout=30)] == [text]


def test_local_settings_values_do_not_override_the_environment(tmp_path: Path):
    path = tmp_path / "local.settings.json"
    path.write_text(json.dumps({"Values": {"ALREADY_SET": "from-file", "NEW_ONE": "from-file"},
                                "Host": {"CORS": "http://a.test, http://b.test/", "LocalHttpPort": 7999}}))
    settings = load_local_settings(path)
    environ = {"ALREADY_SET": "from-env"}
    assert apply_values(settings.values, environ) == ["NEW_ONE"]
    assert environ == {"ALREADY_SET": "from-env", "NEW_ONE": "from-file"}
    assert settings.cors_origins == ("http://a.test", "http://b.test")
    assert settings.http_port == 7999


def _app_with_unsupported_binding() -> func.FunctionApp:
    app = func.FunctionApp()

    @app.queue_output(arg_name="out", queue_name="elsewhere", connection="AzureWebJobsStorage")
    @app.queue_trigger(arg_name="msg", queue_name="somewhere", connection="AzureWebJobsStorage")
    def forwards(msg: func.QueueMessage, out: func.Out[str]) -> None:
        out.set(msg.get_body().decode())

    return app


def _app_with_five_field_schedule() -> func.FunctionApp:
    app = func.FunctionApp()

    @app.timer_trigger(arg_name="timer", schedule="*/5 * * * *")
    def every_five(timer: func.TimerRequest) -> None:
        del timer

    return app


@pytest.mark.parametrize(("build", "environ", "expected"), [
    (_app_with_unsupported_binding, {"AzureWebJobsStorage": "UseDevelopmentStorage=true"},
     "function 'forwards': binding type 'queue'"),
    (lambda: localhost_app.app, {"AzureWebJobsStorage": "UseDevelopmentStorage=true"},
     "app setting 'LOCALHOST_TEST_ECHO_QUEUE'"),
    (_app_with_five_field_schedule, {}, "function 'every_five': schedule '*/5 * * * *' must have six fields"),
], ids=["unsupported-binding", "missing-setting", "five-field-schedule"])
def test_start_fails_naming_the_function_and_the_problem(build, environ, expected):
    with pytest.raises(HostConfigError) as failure:
        LocalHost(build(), HOST_JSON, environ=dict(environ))
    assert expected in str(failure.value)


def _route(template: str) -> Router:
    function = HttpFunction(name="f", handler=lambda req: None, arg_name="req", route=template,
                            methods=("GET",))
    return Router([function], "api")


@pytest.mark.parametrize(("template", "path", "expected"), [
    ("users/{name:alpha}", "/api/users/Ann", {"name": "Ann"}),
    ("users/{name:alpha}", "/api/users/ann1", None),
    ("users/{id:int:min(1)}", "/api/users/0", None),
    ("users/{id?}", "/api/users", {}),
    ("users/{id=me}", "/api/users", {"id": "me"}),
    ("blobs/{*rest}", "/api/blobs/a/b/c", {"rest": "a/b/c"}),
    ("dl/{file}.{ext}", "/api/dl/report.csv", {"file": "report", "ext": "csv"}),
    ("Connections/{provider}", "/API/connections/oura/", {"provider": "oura"}),
    ("users/{id}", "/api/users/1/extra", None),
], ids=["alpha", "alpha-refuses-digit", "int-min", "optional-absent", "default", "catch-all",
        "mixed-segment", "case-and-trailing-slash", "too-many-segments"])
def test_route_templates_match_like_the_host(template, path, expected):
    resolution = _route(template).resolve(path, "GET")
    assert (resolution.route_params if resolution.function else None) == expected


def test_ncrontab_restricted_day_and_weekday_must_both_match():
    schedule = Schedule(expression="0 0 0 13 * 5", interval=None)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    assert schedule.next_after(start) == datetime(2025, 6, 13, tzinfo=timezone.utc)
