"""The function index: bindings match handlers; functions and routes are what the README documents."""

import inspect
import re
from pathlib import Path

import pytest

from devtools.localhost.index import app_functions
from function_app import app

README = Path(__file__).resolve().parents[2] / "README.md"
FUNCTIONS = app_functions(app)


def _trigger(function):
    return next(b for b in function.get_bindings_dict()["bindings"] if b["type"].endswith("Trigger"))


@pytest.mark.parametrize("function", FUNCTIONS, ids=[f.get_function_name() for f in FUNCTIONS])
def test_binding_names_match_handler_parameters(function):
    handler = function.get_user_function()
    parameters = set(inspect.signature(handler).parameters) - {"context"}  # the invocation context, not a binding
    inputs = {b["name"] for b in function.get_bindings_dict()["bindings"]
              if b.get("direction") in ("IN", "in", 0, None) or b["type"].endswith("Trigger")}
    assert inputs == parameters


def _documented():
    """Read the README's function table: | `name` | trigger | route or queue or schedule | ..."""
    rows = re.findall(r"^\| `(\w+)` \| (\w+) \| `([^`]+)` \|", README.read_text(), flags=re.M)
    return {name: (trigger, target) for name, trigger, target in rows}


def _registered():
    registered = {}
    for function in FUNCTIONS:
        trigger = _trigger(function)
        if trigger["type"] == "httpTrigger":
            registered[function.get_function_name()] = ("http", "/api/" + trigger["route"])
        elif trigger["type"] == "queueTrigger":
            registered[function.get_function_name()] = ("queue", trigger["queueName"])
        else:
            registered[function.get_function_name()] = ("timer", trigger["schedule"])
    return registered


def test_registered_functions_are_the_documented_ones():
    assert _registered() == _documented()


def test_queue_functions_listen_on_the_queues_the_app_sends_to():
    from shared.providers import PROVIDERS

    queues = {target for trigger, target in _registered().values() if trigger == "queue"}
    assert queues == set((provider.queue for provider in PROVIDERS.values()))
