"""The host's admin endpoints: run a non-HTTP function on demand, report host status."""

from __future__ import annotations

import json
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from devtools.localhost.index import FunctionIndex, HttpFunction, QueueFunction
from devtools.localhost.queues import QueueWorker
from devtools.localhost.timers import TimerWorker

log = logging.getLogger("devtools.localhost")

_INVOKE_PATH = re.compile(r"^/admin/functions/([^/]+)/?$", re.IGNORECASE)


@dataclass(frozen=True)
class AdminReply:
    """An admin answer: status code and optional JSON body."""

    status: int
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _error(status: int, code: str, message: str) -> AdminReply:
    return AdminReply(status, {"error": {"code": code, "message": message}})


class Admin:
    """Answer `/admin/...` requests; the host accepts an invocation with 202 and runs it in the background."""

    def __init__(self, index: FunctionIndex, queue_workers: dict[str, QueueWorker],
                 timer_workers: dict[str, TimerWorker], pool: ThreadPoolExecutor) -> None:
        self._functions = index.by_name()
        self._queue_workers = queue_workers
        self._timer_workers = timer_workers
        self._pool = pool

    @staticmethod
    def owns(path: str) -> bool:
        """Return whether `path` is an admin path (reserved even when routePrefix is empty)."""
        return path.lower() == "/admin" or path.lower().startswith("/admin/")

    def handle(self, method: str, path: str, body: bytes) -> AdminReply:
        """Answer one admin request."""
        if path.rstrip("/").lower() == "/admin/host/status":
            if method != "GET":
                return AdminReply(405, {"error": {"code": "method_not_allowed"}}, {"Allow": "GET"})
            return AdminReply(200, {"state": "Running", "version": "local"})
        found = _INVOKE_PATH.match(path)
        if not found:
            return _error(404, "not_found", "no such admin endpoint")
        if method != "POST":
            return AdminReply(405, {"error": {"code": "method_not_allowed"}}, {"Allow": "POST"})
        function = self._functions.get(found.group(1).lower())
        if function is None:
            return _error(404, "not_found", f"no function named {found.group(1)!r}")
        if isinstance(function, HttpFunction):
            return _error(400, "http_function", "HTTP functions are called through their route")
        try:
            document = json.loads(body.decode("utf-8") or "null")
        except (UnicodeDecodeError, json.JSONDecodeError):
            return _error(400, "bad_request", 'expected a JSON body like {"input": "..."}')
        if not isinstance(document, dict):
            return _error(400, "bad_request", 'expected a JSON body like {"input": "..."}')
        text = document.get("input")
        text = "" if text is None else text if isinstance(text, str) else json.dumps(text)
        key = function.name.lower()
        if isinstance(function, QueueFunction):
            self._pool.submit(self._queue_workers[key].run_direct, text)
        else:
            self._pool.submit(self._timer_workers[key].fire)
        log.info("Admin invocation of '%s' accepted", function.name)
        return AdminReply(202)
