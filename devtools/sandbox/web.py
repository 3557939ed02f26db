"""Route table, request and response types of the sandbox server (no I/O of its own)."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

if TYPE_CHECKING:
    from devtools.sandbox.state import SandboxState

Handler = Callable[["Request"], "Response"]
FaultBody = Callable[[int], "Response"]


@dataclass(frozen=True)
class Response:
    """An HTTP answer: status, headers and body bytes."""

    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    content_type: str = "application/json"


@dataclass(frozen=True)
class Request:
    """One parsed HTTP request as a route handler sees it."""

    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes
    params: Mapping[str, str]
    state: SandboxState
    route_name: str = ""

    def arg(self, name: str) -> str | None:
        """Return the first query value of `name`, or None."""
        values = self.query.get(name)
        return values[0] if values else None

    def header(self, name: str) -> str | None:
        """Return a request header, case-insensitively."""
        return self.headers.get(name.lower())

    def form(self) -> dict[str, list[str]]:
        """Return the url-encoded form body (all values of each field)."""
        try:
            return parse_qs(self.body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            return {}

    def form_value(self, name: str) -> str | None:
        """Return the first form value of `name`, or None."""
        values = self.form().get(name)
        return values[0] if values else None

    def json(self) -> Any:
        """Return the JSON body, or None when it is empty or malformed."""
        try:
            return json.loads(self.body) if self.body.strip() else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None

    def bearer(self) -> str | None:
        """Return the bearer token of the Authorization header, or None."""
        value = self.header("authorization") or ""
        scheme, _, token = value.partition(" ")
        return token.strip() or None if scheme.lower() == "bearer" else None

    def basic_auth(self) -> tuple[str, str] | None:
        """Return (user, password) of an HTTP Basic Authorization header, or None."""
        value = self.header("authorization") or ""
        scheme, _, encoded = value.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, sep, password = decoded.partition(":")
        return (user, password) if sep else None

    def count(self, suffix: str) -> None:
        """Count one call under `<route name>:<suffix>` (e.g. the grant type of a token call)."""
        self.state.counters.add(f"{self.route_name}:{suffix}")


@dataclass(frozen=True)
class Route:
    """One entry of the route table: method, path pattern, handler and counter name."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler
    name: str
    fault_body: FaultBody | None = None


@dataclass
class Router:
    """The extensible route table; endpoint modules add routes with `add`."""

    routes: list[Route] = field(default_factory=list)
    not_found: list[tuple[str, Handler]] = field(default_factory=list)

    def add(self, methods: str, path: str, handler: Handler, *, name: str,
            fault_body: FaultBody | None = None) -> None:
        """Register `handler` for space-separated `methods` on `path`.

        `path` may hold `{param}` segments (one path segment each) or `{param:path}` (rest of
        the path); a path with fewer parameters is matched first. `name` keys the call counter and the faults of the route; `fault_body` builds
        the provider-shaped error body a status fault answers with.
        """
        regex = re.sub(r"\{(\w+):path\}", r"(?P<\1>.+)", path)
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", regex)
        for method in methods.split():
            self.routes.append(Route(method.upper(), re.compile(f"^{regex}$"), handler, name, fault_body))
        # Paths with fewer parameters win, whatever the module load order; ties keep insertion order.
        self.routes.sort(key=lambda route: route.pattern.groups)

    def add_not_found(self, prefix: str, handler: Handler) -> None:
        """Answer unknown paths under `prefix` with `handler` (provider-shaped 404s)."""
        self.not_found.append((prefix, handler))
        self.not_found.sort(key=lambda item: len(item[0]), reverse=True)

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """Return the route and path parameters for a request, or None."""
        for route in self.routes:
            if route.method != method:
                continue
            found = route.pattern.match(path)
            if found:
                return route, found.groupdict()
        return None

    def fallback(self, path: str) -> Handler | None:
        """Return the not-found handler whose prefix covers `path`, or None."""
        for prefix, handler in self.not_found:
            if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                return handler
        return None


def json_response(status: int, body: Any, headers: Mapping[str, str] | None = None) -> Response:
    """Answer with a JSON body."""
    merged = {"Cache-Control": "no-store", **(headers or {})}
    return Response(status, json.dumps(body).encode("utf-8"), tuple(merged.items()))


def html_response(status: int, html: str, headers: Mapping[str, str] | None = None) -> Response:
    """Answer with an HTML page."""
    return Response(status, html.encode("utf-8"), tuple((headers or {}).items()), "text/html; charset=utf-8")


def text_response(status: int, text: str, content_type: str = "text/plain; charset=utf-8") -> Response:
    """Answer with a text body of the given content type."""
    return Response(status, text.encode("utf-8"), (), content_type)


def redirect(location: str, status: int = 302) -> Response:
    """Answer with a redirect to `location`."""
    return Response(status, b"", (("Location", location), ("Cache-Control", "no-store")), "text/plain")


def add_query(url: str, params: Mapping[str, str]) -> str:
    """Return `url` with `params` appended to its query string."""
    parts = urlsplit(url)
    extra = urlencode(params)
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
