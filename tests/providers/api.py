"""A minimal `ProviderApi` over `requests` with a bearer token, and a loop that reads a window.

It stands in for the engine's authorised HTTP path where tests and benchmarks drive stream
hooks directly: one HTTP call per `get_json`/`post_json`, errors classified by the app's table.
The helpers at the end are what every provider's test view of the sandbox shares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

import requests

from shared.contract.records import Record
from shared.errors import TransientProviderError
from shared.http.errors import classify
from shared.providers import get_provider
from shared.sync.streams import Stream, StreamContext


class BearerApi:
    """GET/POST JSON with `Authorization: Bearer <token>`; counts calls."""

    def __init__(self, token: str, *, timeout: float = 30.0, provider: str = "fitbit") -> None:
        self.token = token
        self.timeout = timeout
        self.provider = provider
        self.calls = 0
        self.session = requests.Session()

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET `url` and return its JSON body."""
        return self._send("GET", url, params=dict(params or {}))

    def post_json(self, url: str, body: Any) -> Any:
        """POST a JSON body to `url` and return its JSON body."""
        return self._send("POST", url, json=body)

    def post_form(self, url: str, form: Mapping[str, Any]) -> Any:
        """POST form fields to `url` and return its JSON body."""
        return self._send("POST", url, data=dict(form))

    def _send(self, method: str, url: str, **kwargs: Any) -> Any:
        self.calls += 1
        try:
            response = self.session.request(method, url, timeout=self.timeout,
                                            headers={"Authorization": f"Bearer {self.token}"}, **kwargs)
        except requests.Timeout:
            raise TransientProviderError(self.provider, f"{self.provider} did not answer in time") from None
        except requests.ConnectionError:
            raise TransientProviderError(self.provider, f"{self.provider} could not be reached") from None
        error = classify(self.provider, response, get_provider(self.provider).error_quirk)
        if error is not None:
            raise error
        try:
            return response.json()
        except ValueError:
            raise TransientProviderError(self.provider, f"{self.provider} answered a body that is not JSON",
                                         status=response.status_code) from None


@dataclass
class WindowRead:
    """What reading one window page by page produced."""

    records: list[Record] = field(default_factory=list)
    calls: int = 0
    pages: int = 0
    tokens: list[str | None] = field(default_factory=list)


def read_window(stream: Stream, context: StreamContext, start: datetime, end: datetime,
                *, max_pages: int = 100_000) -> WindowRead:
    """Call the stream's hook for [start, end) until it returns no page token."""
    read = WindowRead()
    calls_before = context.api.calls
    token: str | None = None
    seen: set[str] = set()
    while read.pages < max_pages:
        page = stream.fetch_page(context, start, end, token)
        read.records.extend(page.records)
        read.calls = context.api.calls - calls_before
        read.pages += 1
        token = page.next_page_token
        read.tokens.append(token)
        if token is None:
            return read
        if token in seen:
            raise AssertionError(f"page token repeated in {stream.name}: {token}")
        seen.add(token)
    raise AssertionError(f"{stream.name}: more than {max_pages} pages")


def bearer(token: str | None) -> dict[str, str]:
    """Return the headers carrying a bearer token (none without a token)."""
    return {"Authorization": f"Bearer {token}"} if token else {}


def stream_context(token: str, base: str, user: str, source: str, *, provider: str,
                   timeout: float = 30.0) -> tuple[StreamContext, BearerApi]:
    """Return a stream context of `user` over `token`, and its API (for call counts)."""
    api = BearerApi(token, timeout=timeout, provider=provider)
    return StreamContext(api, base, f"personicle-{user}", source), api


class Configurable(Protocol):
    """A test's view of a data imitation: the sandbox state and a way to change the knobs."""

    @property
    def state(self) -> Any: ...

    def configure(self, **knobs: Any) -> None: ...


C = TypeVar("C", bound=Configurable)


def fresh(view: C, now: str) -> C:
    """Reset the sandbox state, let the data end at `now` and return `view`."""
    view.state.reset()
    view.configure(now=now)
    return view
