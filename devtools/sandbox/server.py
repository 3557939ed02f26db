"""The sandbox HTTP server: route dispatch, faults, counters, start and stop."""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Iterable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qs, urlsplit

from devtools.sandbox import control, demo
from devtools.sandbox.faults import Fault
from devtools.sandbox.jwt_tools import SigningKey, generate_key, load_or_create_key
from devtools.sandbox.oauth.clients import DEFAULT_API_BASE, OAuthClient
from devtools.sandbox.oidc import routes as oidc_routes
from devtools.sandbox.oidc.issuer import OidcIssuer
from devtools.sandbox.providers import PROVIDERS
from devtools.sandbox.providers.base import SandboxProvider
from devtools.sandbox.state import SandboxState
from devtools.sandbox.web import Request, Response, Route, Router, html_response, json_response, text_response

LOG = logging.getLogger("devtools.sandbox")

NON_JSON_PAGE = ("<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error {status} (Server Error)!!1"
                 "</title><p><b>{status}.</b> <ins>That's an error.</ins><p>The server encountered a "
                 "temporary error and could not complete your request.<p>Please try again in 30 seconds. "
                 "<ins>That's all we know.</ins></html>")
CORS_PREFIXES = ("/oidc/", "/_sandbox/")


GENERIC_ROUTES = (control.register, demo.register, oidc_routes.register)


def build_router(providers: Sequence[SandboxProvider] = PROVIDERS, extra_modules: Iterable[ModuleType] = ()) -> Router:
    """Build the route table: generic routes, each authorization server once, the providers, extra modules."""
    router = Router()
    for register in GENERIC_ROUTES:
        register(router)
    servers = {provider.server.name: provider.server for provider in providers}
    for server in servers.values():
        server.register(router)
    for provider in providers:
        provider.register(router)
    for module in extra_modules:
        module.register(router)
    return router


class SandboxServer:
    """The sandbox on a local port, started in a background thread.

    Args:
        port: TCP port, 0 for any free one.
        host: interface to bind.
        api_base: base URL of the Functions app API; the OAuth clients get
            `<api base>/oauth/<provider>/callback` as their redirect URI.
        key_path: PEM file of the OIDC signing key (created on first use); None for an
            ephemeral key.
        public_url: URL the sandbox is reached at (issuer and links); default http://host:port.
        extra_modules: modules with a `register(router)` function adding routes.
        clients: OAuth clients to register instead of the providers' own.
        providers: the imitated providers (default: every provider of the registry).
    """

    def __init__(self, port: int = 0, *, host: str = "127.0.0.1", api_base: str = DEFAULT_API_BASE,
                 key_path: Path | None = None, public_url: str | None = None,
                 extra_modules: Iterable[ModuleType] = (), clients: list[OAuthClient] | None = None,
                 providers: Sequence[SandboxProvider] = PROVIDERS) -> None:
        self._host = host
        self._port = port
        self._api_base = api_base
        self._key: SigningKey = load_or_create_key(key_path) if key_path else generate_key()
        self._public_url = public_url
        self._providers = tuple(providers)
        self._router = build_router(self._providers, extra_modules)
        self._clients = clients
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.state: SandboxState | None = None

    @property
    def url(self) -> str:
        """Return the base URL (after start)."""
        if self.state is None:
            raise RuntimeError("the sandbox is not started")
        return self.state.base_url

    def start(self) -> str:
        """Bind, serve in a daemon thread and return the base URL."""
        if self._httpd is not None:
            return self.url
        httpd = ThreadingHTTPServer((self._host, self._port), _make_handler(self))
        httpd.daemon_threads = True
        port = httpd.server_address[1]
        base = (self._public_url or f"http://{self._host}:{port}").rstrip("/")
        self.state = SandboxState(
            base_url=base, api_base=self._api_base,
            clients=self._clients or [provider.oauth_client([self._api_base]) for provider in self._providers],
            issuer=OidcIssuer(f"{base}/oidc", self._key), providers=self._providers)
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, args=(0.1,), name="sandbox",
                                        daemon=True)
        self._thread.start()
        return base

    def stop(self) -> None:
        """Stop serving and release the port; slow faults in progress end early."""
        if self._httpd is None:
            return
        assert self.state is not None
        self.state.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def serve_forever(self) -> None:
        """Start and block until interrupted (command-line use)."""
        self.start()
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Response | None:
        """Answer one request (None: drop the connection)."""
        assert self.state is not None
        parts = urlsplit(target)
        path = parts.path
        if method == "OPTIONS" and path.startswith(CORS_PREFIXES):
            return Response(204, b"", (), "text/plain")
        found = self._router.match(method, path)
        if found is None:
            fallback = self._router.fallback(path)
            request = Request(method, path, parse_qs(parts.query, keep_blank_values=True), headers, body,
                              {}, self.state)
            return fallback(request) if fallback else text_response(404, f"no sandbox route for {method} {path}\n")
        route, params = found
        request = Request(method, path, parse_qs(parts.query, keep_blank_values=True), headers, body,
                          params, self.state, route.name)
        if not route.name.startswith("_"):
            self.state.counters.add(route.name)
            self._log_user_call(request)
        fault = self.state.faults.take(route.name)
        if fault is not None:
            if fault.kind == "drop":
                return None
            if fault.kind == "slow":
                self.state.sleep(fault.delay)
            if fault.kind != "slow" or fault.status is not None:
                return _fault_response(route, fault)
        return route.handler(request)


    def _log_user_call(self, request: Request) -> None:
        """Record the call under its token's user when it carries a live access token."""
        assert self.state is not None
        token = request.bearer()
        info = self.state.grants.lookup_access_token(token) if token else None
        if info is not None:
            self.state.calls.add(info.grant.user, request.route_name)


def _fault_response(route: Route, fault: Fault) -> Response:
    """Return the answer of a status or non-JSON fault."""
    if fault.kind == "non_json":
        status = fault.status or 502
        return html_response(status, NON_JSON_PAGE.format(status=status), fault.headers)
    status = fault.status or 503
    if fault.body is not None:
        return json_response(status, fault.body, fault.headers)
    base = route.fault_body(status) if route.fault_body else json_response(status, {"error": status})
    return Response(status, base.body, (*base.headers, *fault.headers.items()), base.content_type)


def _make_handler(server: SandboxServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "PersonicleSandbox/1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            try:
                response = server.handle(self.command, self.path, headers, body)
            except Exception:  # report the bug to the caller as a 500 instead of a dead socket
                LOG.error("sandbox route failed: %s %s\n%s", self.command, urlsplit(self.path).path,
                          traceback.format_exc())
                response = text_response(500, "sandbox route failed; see the sandbox log\n")
            if response is None:
                self.close_connection = True
                return
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers:
                self.send_header(name, value)
            if urlsplit(self.path).path.startswith(CORS_PREFIXES):
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Access-Control-Allow-Headers", "Content-Type, Authorization")
                self.send_header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            """Log method, path (never the query: it may hold codes or tokens) and status."""
            status = args[1] if len(args) > 1 and format.startswith('"%s"') else ""
            LOG.info("%s %s %s", getattr(self, "command", "-"), urlsplit(getattr(self, "path", "")).path, status)

    return Handler
