"""Call a user function the way the Python worker does: trigger by binding name, optional context."""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

import azure.functions as func

log = logging.getLogger("devtools.localhost")


class LocalContext(func.Context):
    """The invocation context passed to a handler that declares a `context` parameter."""

    def __init__(self, function_name: str) -> None:
        self._invocation_id = str(uuid.uuid4())
        self._function_name = function_name
        self._local = threading.local()
        self._local.invocation_id = self._invocation_id

    @property
    def invocation_id(self) -> str:
        """Return this invocation's id."""
        return self._invocation_id

    @property
    def thread_local_storage(self) -> Any:
        """Return thread-local storage carrying the invocation id."""
        return self._local

    @property
    def function_name(self) -> str:
        """Return the function's name."""
        return self._function_name

    @property
    def function_directory(self) -> str:
        """Return the app's folder (the v2 model has no per-function folder)."""
        return ""

    @property
    def trace_context(self) -> Any:
        """Return no distributed-tracing context (none exists locally)."""
        return None

    @property
    def retry_context(self) -> Any:
        """Return no retry context (retry policies are not imitated)."""
        return None


def invoke(function_name: str, handler: Callable[..., Any], arg_name: str, trigger_value: Any) -> Any:
    """Run `handler` with the trigger value under its binding name and return its result.

    Raises:
        Exception: whatever the handler raises, unchanged (the caller decides retry or 500).
    """
    kwargs: dict[str, Any] = {arg_name: trigger_value}
    if "context" in inspect.signature(handler).parameters and arg_name != "context":
        kwargs["context"] = LocalContext(function_name)
    log.info("Executing '%s'", function_name)
    result = handler(**kwargs)
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    log.info("Executed '%s' (Succeeded)", function_name)
    return result
