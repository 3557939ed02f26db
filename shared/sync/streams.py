"""How a provider declares a stream for the generic engine.

A stream is data (name, scopes, largest window) plus one hook, `fetch_page`, that makes exactly one
API call for a time window and page token and returns the mapped records and the next page token.
The engine owns everything else: tokens, windows from cursors, retries, rate limits, delivery,
cursors, continuations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from shared.contract.records import Record


class ProviderApi(Protocol):
    """The engine's authorised HTTP path for one connection's data calls.

    Adds the bearer token, refreshes once on 401, retries 5xx and timeouts a few times with backoff,
    classifies errors (`shared.errors.ProviderError` subclasses) and returns the parsed JSON body.
    """

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET `url` and return its JSON body."""

    def post_json(self, url: str, body: Any) -> Any:
        """POST a JSON body to `url` and return its JSON body."""

    def post_form(self, url: str, form: Mapping[str, Any]) -> Any:
        """POST form fields to `url` and return its JSON body."""


@dataclass(frozen=True)
class StreamContext:
    """What a stream's fetch hook may use: the API, the base URL, and whom the records are for."""

    api: ProviderApi
    base_url: str
    individual_id: str
    source: str


@dataclass(frozen=True)
class Page:
    """One API answer, mapped: its records and the token of the next page (None at the end)."""

    records: Sequence[Record]
    next_page_token: str | None


FetchPage = Callable[[StreamContext, datetime, datetime, "str | None"], Page]


@dataclass(frozen=True)
class Stream:
    """One downloadable stream of a provider.

    Args:
        name: stable stream name (cursor key, job field, logs), e.g. `steps`.
        scopes: the stream is synced when any one of these was granted (empty: always).
        max_window: the largest time range one request may cover (the endpoint's limit).
        fetch_page: makes one API call for [start, end) and a page token; pure mapping inside.
    """

    name: str
    scopes: tuple[str, ...]
    max_window: timedelta
    fetch_page: FetchPage
    description: str = ""
    tags: tuple[str, ...] = field(default=())

    def allowed_by(self, granted: Sequence[str]) -> bool:
        """Return True when the granted scopes allow this stream."""
        return not self.scopes or any(scope in granted for scope in self.scopes)
