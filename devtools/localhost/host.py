"""The local Functions host: HTTP server, queue pollers and timers over one FunctionApp index."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, MutableMapping
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

from devtools.localhost.admin import Admin
from devtools.localhost.http_server import CorsPolicy, FunctionsHttpServer
from devtools.localhost.index import FunctionIndex, build_index
from devtools.localhost.queues import QueueWorker
from devtools.localhost.routes import Router
from devtools.localhost.settings import (
    HostConfig, HostConfigError, LocalSettings, apply_values, parse_host_json,
)
from devtools.localhost.timers import TimerWorker


class LocalHost:
    """Serve a FunctionApp as the Functions host would, for development and tests.

    Construction applies the app settings (never overriding set variables), reads host.json and
    validates every function; `start()` opens the HTTP port and, unless told otherwise, starts
    queue polling and timers. `poll_queue()` and `fire_timer()` drive triggers by hand.
    """

    def __init__(self, app: Any, host_json: Mapping[str, Any] | HostConfig, *, host: str = "127.0.0.1",
                 port: int = 0, settings: LocalSettings | None = None,
                 environ: MutableMapping[str, str] | None = None) -> None:
        self.environ: MutableMapping[str, str] = os.environ if environ is None else environ
        self.settings = settings or LocalSettings()
        apply_values(self.settings.values, self.environ)
        self.config = host_json if isinstance(host_json, HostConfig) else parse_host_json(host_json)
        self.index: FunctionIndex = build_index(app, self.environ)
        self.router = Router(self.index.http, self.config.route_prefix)
        options = self.config.queues
        self._pool = ThreadPoolExecutor(max_workers=max(2, options.batch_size + options.new_batch_threshold),
                                        thread_name_prefix="localhost-function")
        self.queue_workers = {
            f.name.lower(): QueueWorker(f, options, self.environ, self._pool, self.config.function_timeout)
            for f in self.index.queues}
        self.timer_workers = {f.name.lower(): TimerWorker(f) for f in self.index.timers}
        self._admin = Admin(self.index, self.queue_workers, self.timer_workers, self._pool)
        self._address = (host, port)
        self._server: FunctionsHttpServer | None = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def base_url(self) -> str:
        """Return `http://host:port` of the running server."""
        if self._server is None:
            raise RuntimeError("the host is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, *, triggers: bool = True) -> str:
        """Create the queues, open the port, start polling and timers (unless told not to); return the URL."""
        for worker in self.queue_workers.values():
            worker.ensure_queue()
        cors = CorsPolicy(self.settings.cors_origins, self.settings.cors_credentials)
        server = FunctionsHttpServer(self._address, self.router, self._admin, cors)
        self._server = server
        self._spawn("localhost-http", lambda: server.serve_forever(poll_interval=0.2))
        if triggers:
            for name, queue_worker in self.queue_workers.items():
                self._spawn(f"localhost-queue-{name}", lambda w=queue_worker: w.run(self._stop))
            for name, timer_worker in self.timer_workers.items():
                self._spawn(f"localhost-timer-{name}", lambda w=timer_worker: w.run(self._stop))
        return self.base_url

    def stop(self) -> None:
        """Stop accepting work, wait for running functions to finish and close the port."""
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
        for thread in self._threads:
            thread.join()
        self._pool.shutdown(wait=True)
        if self._server is not None:
            self._server.server_close()
        self._threads.clear()

    def poll_queue(self, function_name: str) -> int:
        """Run one poll of a queue function's queue, wait for its messages to settle, return how many."""
        futures = self._queue_worker(function_name).poll_once()
        wait(futures)
        for future in futures:
            future.result()
        return len(futures)

    def fire_timer(self, function_name: str, *, past_due: bool = False) -> bool:
        """Run a timer function now; return whether it succeeded."""
        worker = self.timer_workers.get(function_name.lower())
        if worker is None:
            raise KeyError(f"no timer function named {function_name!r}")
        return worker.fire(past_due=past_due)

    def describe(self) -> list[str]:
        """Return the startup listing: each function with its route, queue or schedule."""
        base = self.base_url if self._server is not None else f"http://{self._address[0]}:{self._address[1]}"
        lines = []
        for function in self.index.http:
            methods = ",".join(function.methods)
            lines.append(f"  {function.name}: [{methods}] {base}{self.router.url_path(function)}")
        for queue_function in self.index.queues:
            lines.append(f"  {queue_function.name}: queueTrigger {queue_function.queue_name} "
                         f"(connection {queue_function.connection})")
        for timer in self.index.timers:
            startup = ", runOnStartup" if timer.run_on_startup else ""
            lines.append(f"  {timer.name}: timerTrigger '{timer.schedule}' (UTC{startup})")
        return lines

    def __enter__(self) -> LocalHost:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _queue_worker(self, function_name: str) -> QueueWorker:
        worker = self.queue_workers.get(function_name.lower())
        if worker is None:
            raise KeyError(f"no queue function named {function_name!r}")
        return worker

    def _spawn(self, name: str, target: Any) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)


__all__ = ["HostConfigError", "LocalHost"]
