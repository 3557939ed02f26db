"""Serve HTTP functions and the admin endpoints over `http.server.ThreadingHTTPServer`."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import azure.functions as func

from devtools.localhost.admin import Admin
from devtools.localhost.invoke import invoke
from devtools.localhost.routes import Router

log = logging.getLogger("devtools.localhost")

CORS_ALLOW_HEADERS = "Authorization, Content-Type"
CORS_ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
MAX_BODY_BYTES = 100 * 1024 * 1024  # the host's default request size limit


@dataclass(frozen=True)
class CorsPolicy:
    """Origins allowed to call the functions from a browser (`Host.CORS` in local.settings.json)."""

    origins: tuple[str, ...] = ()
    credentials: bool = False

    def headers_for(self, origin: str | None) -> dict[str, str]:
        """Return the CORS headers for a request from `origin` (none when it is not allowed)."""
        if not origin or not self.origins:
            return {}
        if origin.rstrip("/") in self.origins:
            allowed = origin
        elif "*" in self.origins and not self.credentials:
            allowed = "*"
        else:
            return {}
        headers = {"Access-Control-Allow-Origin": allowed, "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS,
                   "Access-Control-Allow-Methods": CORS_ALLOW_METHODS, "Vary": "Origin"}
        if self.credentials:
            headers["Access-Control-Allow-Credentials"] = "true"
        return headers


class FunctionsHttpServer(ThreadingHTTPServer):
    """A threading HTTP server carrying the router, admin endpoints and CORS policy."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], router: Router, admin: Admin, cors: CorsPolicy) -> None:
        super().__init__(address, FunctionsRequestHandler)
        self.router = router
        self.admin = admin
        self.cors = cors


def _json_body(document: dict[str, Any]) -> bytes:
    return json.dumps(document, separators=(",", ":")).encode("utf-8")


def _join_headers(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    joined: dict[str, str] = {}
    for name, value in pairs:
        joined[name] = f"{joined[name]}, {value}" if name in joined else value
    return joined


def _query_params(query: str) -> dict[str, str]:
    params: dict[str, list[str]] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        params.setdefault(name, []).append(value)
    return {name: ",".join(values) for name, values in params.items()}


def _response_parts(result: Any) -> tuple[int, str | None, bytes, list[tuple[str, str]]]:
    """Convert a handler's return value as the worker does: HttpResponse, str, or None."""
    if result is None:
        return 204, None, b"", []
    if isinstance(result, (str, bytes)):
        data = result.encode("utf-8") if isinstance(result, str) else result
        return 200, "text/plain; charset=utf-8", data, []
    if isinstance(result, func.HttpResponse):
        pairs = list(result.headers.items())
        content_type = None
        if not any(name.lower() == "content-type" for name, _ in pairs):
            content_type = (f"{result.mimetype}; charset={result.charset}"
                            if result.mimetype.startswith("text/") else result.mimetype)
        return result.status_code, content_type, result.get_body() or b"", pairs
    raise TypeError(f"HTTP function returned {type(result).__name__}, expected func.HttpResponse")


class FunctionsRequestHandler(BaseHTTPRequestHandler):
    """Route one request to an HTTP function or an admin endpoint and write the answer."""

    server: FunctionsHttpServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        """Handle GET."""
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_TRACE = do_GET

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log the access line at debug level without the query string (it may carry OAuth codes)."""
        log.debug("%s %s -> %s", self.command, urlsplit(self.path).path, code)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server signature
        """Log protocol errors at debug level."""
        log.debug("%s %s", self.address_string(), format % args)

    def _read_body(self) -> bytes:
        """Read the request body.

        Raises:
            ValueError: the framing is malformed or the body exceeds MAX_BODY_BYTES.
        """
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks, total = [], 0
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                total += size
                if total > MAX_BODY_BYTES:
                    raise ValueError("request body too large")
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES or length < 0:
            raise ValueError("request body too large")
        return self.rfile.read(length) if length > 0 else b""

    def _handle(self) -> None:
        method = self.command.upper()
        parts = urlsplit(self.path)
        path = parts.path or "/"
        cors = self.server.cors.headers_for(self.headers.get("Origin"))
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            self._send(400, cors, _json_body({"error": {"code": "bad_request_body"}}), "application/json")
            return
        if method == "OPTIONS" and self.headers.get("Access-Control-Request-Method"):
            self._send(204, cors, b"", None)
            return
        if Admin.owns(path):
            reply = self.server.admin.handle(method, path, body)
            payload = _json_body(reply.body) if reply.body is not None else b""
            self._send(reply.status, {**cors, **reply.headers}, payload,
                       "application/json" if reply.body is not None else None)
            return
        resolution = self.server.router.resolve(path, method)
        if resolution.function is None:
            if resolution.allowed_methods:
                headers = {**cors, "Allow": ", ".join(resolution.allowed_methods)}
                self._send(405, headers, _json_body({"error": {"code": "method_not_allowed"}}),
                           "application/json")
            else:
                self._send(404, cors, _json_body({"error": {"code": "not_found"}}), "application/json")
            return
        host = self.headers.get("Host") or "%s:%s" % self.server.server_address[:2]
        request = func.HttpRequest(
            method=method, url=f"http://{host}{self.path}", headers=_join_headers(self.headers.items()),
            params=_query_params(parts.query), route_params=resolution.route_params, body=body)
        function = resolution.function
        try:
            status, content_type, payload, pairs = _response_parts(
                invoke(function.name, function.handler, function.arg_name, request))
        except Exception:  # the host answers 500 for any handler failure and logs the traceback
            log.exception("Executed '%s' (Failed)", function.name)
            self._send(500, cors, _json_body({"error": {"code": "internal_error"}}), "application/json")
            return
        self._send(status, cors, payload, content_type, pairs)

    def _send(self, status: int, headers: dict[str, str], body: bytes, content_type: str | None,
              extra: list[tuple[str, str]] | None = None) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        for name, value in extra or []:
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)
