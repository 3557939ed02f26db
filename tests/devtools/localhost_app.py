"""A small FunctionApp with one function per trigger kind, served by the local host in tests.

Queue names come from app settings (`%LOCALHOST_TEST_ECHO_QUEUE%`, `%LOCALHOST_TEST_FAILING_QUEUE%`)
so each test host can use its own queues. Every invocation is recorded in `CALLS`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass

import azure.functions as func


@dataclass(frozen=True)
class Call:
    """One recorded invocation."""

    function: str
    body: str = ""
    dequeue_count: int | None = None
    past_due: bool | None = None


class Calls:
    """A thread-safe log of invocations that tests can wait on."""

    def __init__(self) -> None:
        self._calls: list[Call] = []
        self._changed = threading.Condition()

    def add(self, call: Call) -> None:
        """Record one invocation."""
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def matching(self, predicate: Callable[[Call], bool]) -> list[Call]:
        """Return the recorded calls that satisfy `predicate`."""
        with self._changed:
            return [c for c in self._calls if predicate(c)]

    def wait_for(self, predicate: Callable[[Call], bool], count: int = 1,
                 timeout: float = 20.0) -> list[Call]:
        """Wait until `count` calls satisfy `predicate` (or `timeout` passes); return them."""
        with self._changed:
            self._changed.wait_for(lambda: len([c for c in self._calls if predicate(c)]) >= count, timeout)
            return [c for c in self._calls if predicate(c)]


CALLS = Calls()

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
blueprint = func.Blueprint()


@blueprint.route(route="items/{item_id:int}/{label?}", methods=["GET", "POST"])
def items(req: func.HttpRequest) -> func.HttpResponse:
    """Echo what the host passed in: method, route parameters, query, body and URL."""
    echoed = {
        "method": req.method, "url": req.url, "route_params": dict(req.route_params),
        "params": dict(req.params), "body": req.get_body().decode("utf-8"),
        "header": req.headers.get("x-sample"),
    }
    return func.HttpResponse(json.dumps(echoed), status_code=200, mimetype="application/json",
                             headers={"X-Handled-By": "items"})


@blueprint.route(route="files/latest", methods=["GET"])
def latest_file(req: func.HttpRequest) -> func.HttpResponse:
    """Answer the literal route that must win over `files/{name}`."""
    return func.HttpResponse("latest")


@blueprint.route(route="files/{name}", methods=["GET"])
def named_file(req: func.HttpRequest) -> func.HttpResponse:
    """Answer with the file name from the route."""
    return func.HttpResponse(f"file:{req.route_params['name']}", status_code=201)


@blueprint.route(route="boom", methods=["GET"])
def boom(req: func.HttpRequest) -> func.HttpResponse:
    """Fail, so the host answers 500."""
    raise RuntimeError("handler failure for the 500 test")


@blueprint.queue_trigger(arg_name="msg", queue_name="%LOCALHOST_TEST_ECHO_QUEUE%",
                         connection="AzureWebJobsStorage")
def echo(msg: func.QueueMessage) -> None:
    """Record the decoded message body."""
    CALLS.add(Call("echo", msg.get_body().decode("utf-8"), msg.dequeue_count))


@blueprint.queue_trigger(arg_name="msg", queue_name="%LOCALHOST_TEST_FAILING_QUEUE%",
                         connection="AzureWebJobsStorage")
def failing(msg: func.QueueMessage) -> None:
    """Record the attempt, then fail so the host retries and finally poisons the message."""
    CALLS.add(Call("failing", msg.get_body().decode("utf-8"), msg.dequeue_count))
    raise RuntimeError("queue handler failure for the poison test")


@blueprint.timer_trigger(schedule="* * * * * *", arg_name="timer")
def tick(timer: func.TimerRequest) -> None:
    """Record each firing."""
    CALLS.add(Call("tick", past_due=timer.past_due))


app.register_functions(blueprint)
