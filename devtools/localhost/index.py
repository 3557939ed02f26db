"""Turn a FunctionApp's registered functions into the triggers the local host serves."""

from __future__ import annotations

import importlib
import json
import re
import sys
import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devtools.localhost.settings import HostConfigError, resolve_setting_refs

ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")
DEFAULT_CONNECTION = "AzureWebJobsStorage"
_INDEXED: weakref.WeakKeyDictionary[Any, list[Any]] = weakref.WeakKeyDictionary()
_INDEXING = threading.Lock()
_QUEUE_NAME = re.compile(r"^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")


@dataclass(frozen=True)
class HttpFunction:
    """An HTTP-triggered function: its route template, methods and handler."""

    name: str
    handler: Callable[..., Any]
    arg_name: str
    route: str
    methods: tuple[str, ...]


@dataclass(frozen=True)
class QueueFunction:
    """A queue-triggered function: the resolved queue name and its connection setting."""

    name: str
    handler: Callable[..., Any]
    arg_name: str
    queue_name: str
    connection: str


@dataclass(frozen=True)
class TimerFunction:
    """A timer-triggered function: its resolved NCRONTAB schedule."""

    name: str
    handler: Callable[..., Any]
    arg_name: str
    schedule: str
    run_on_startup: bool


@dataclass(frozen=True)
class FunctionIndex:
    """Every function of the app, by trigger kind, in registration order."""

    http: tuple[HttpFunction, ...]
    queues: tuple[QueueFunction, ...]
    timers: tuple[TimerFunction, ...]

    def by_name(self) -> dict[str, HttpFunction | QueueFunction | TimerFunction]:
        """Map each function name (case-insensitive key, lower-cased) to its declaration."""
        return {f.name.lower(): f for f in (*self.http, *self.queues, *self.timers)}


def import_app(module_name: str, root: Path) -> Any:
    """Import `module_name` from `root` and return its FunctionApp (`app`).

    Raises:
        HostConfigError: the module has no FunctionApp named `app`.
    """
    root_text = str(root.resolve())
    if root_text not in sys.path:
        sys.path.insert(0, root_text)
    module = importlib.import_module(module_name)
    app = getattr(module, "app", None)
    if app is None or not hasattr(app, "get_functions"):
        raise HostConfigError(f"module {module_name!r} has no FunctionApp named 'app'")
    return app


def app_functions(app: Any) -> list[Any]:
    """Return `app.get_functions()`, computed once per app (a second call fails its name check)."""
    with _INDEXING:
        if app not in _INDEXED:
            _INDEXED[app] = list(app.get_functions())
        return _INDEXED[app]


def _binding_dicts(function: Any) -> list[dict[str, Any]]:
    return list(json.loads(function.get_function_json())["bindings"])


def _describe_http(name: str, handler: Callable[..., Any], trigger: Mapping[str, Any],
                   others: list[dict[str, Any]]) -> HttpFunction:
    for binding in others:
        if not (binding.get("type") == "http" and str(binding.get("direction")).upper() == "OUT"):
            raise HostConfigError(f"function {name!r}: binding type {binding.get('type')!r} "
                                  f"({binding.get('name')}) is not supported by the local host")
    methods = tuple(str(m).upper() for m in trigger.get("methods") or ()) or ALL_METHODS
    route = str(trigger.get("route") or name).strip("/")
    return HttpFunction(name=name, handler=handler, arg_name=trigger["name"], route=route, methods=methods)


def _describe(function: Any, environ: Mapping[str, str]) -> HttpFunction | QueueFunction | TimerFunction:
    name = function.get_function_name()
    handler = function.get_user_function()
    bindings = _binding_dicts(function)
    triggers = [b for b in bindings if str(b.get("type", "")).endswith("Trigger")]
    if len(triggers) != 1:
        raise HostConfigError(f"function {name!r}: expected exactly one trigger binding")
    trigger = triggers[0]
    others = [b for b in bindings if b is not trigger]
    kind = trigger["type"]
    if kind == "httpTrigger":
        return _describe_http(name, handler, trigger, others)
    if others:
        binding = others[0]
        raise HostConfigError(f"function {name!r}: binding type {binding.get('type')!r} "
                              f"({binding.get('name')}) is not supported by the local host")
    where = f"function {name!r}"
    if kind == "queueTrigger":
        queue_name = resolve_setting_refs(str(trigger["queueName"]), environ, where).lower()
        if not _QUEUE_NAME.match(queue_name):
            raise HostConfigError(f"{where}: {queue_name!r} is not a valid queue name")
        return QueueFunction(
            name=name, handler=handler, arg_name=trigger["name"], queue_name=queue_name,
            connection=str(trigger.get("connection") or DEFAULT_CONNECTION),
        )
    if kind == "timerTrigger":
        return TimerFunction(
            name=name, handler=handler, arg_name=trigger["name"],
            schedule=resolve_setting_refs(str(trigger["schedule"]), environ, where).strip(),
            run_on_startup=bool(trigger.get("runOnStartup", False)),
        )
    raise HostConfigError(f"function {name!r}: binding type {kind!r} is not supported by the local host")


def build_index(app: Any, environ: Mapping[str, str]) -> FunctionIndex:
    """Describe every function of `app`, resolving `%SETTING%` references from `environ`.

    Raises:
        HostConfigError: a function uses an unsupported binding, a referenced setting is
            missing, or two functions share a name.
    """
    described = [_describe(function, environ) for function in app_functions(app)]
    seen: set[str] = set()
    for item in described:
        if item.name.lower() in seen:
            raise HostConfigError(f"function {item.name!r} is registered twice")
        seen.add(item.name.lower())
    return FunctionIndex(
        http=tuple(f for f in described if isinstance(f, HttpFunction)),
        queues=tuple(f for f in described if isinstance(f, QueueFunction)),
        timers=tuple(f for f in described if isinstance(f, TimerFunction)),
    )
