"""A stream read from one paged JSON collection, declared as data (in the spirit of singer-sdk's RESTStream).

A `RestCollection` says where the collection is (`path`), how one request asks for a time range and
a page (`query`), where an answer keeps its records (`records`) and the next page's token
(`next_token`), and how the records of a range become Personicle records (`map_records`; `kept_by`
builds the common case from the instant a record counts at, its cursor field). `read_page` makes the
one call and applies the declaration; `fetch_page` is a stream's whole `fetch_page` hook when the
provider's page state is just its own next-page token. Real quirks stay in the provider's folder as
named overrides around `read_page` (a fallback to smaller ranges, for example).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.contract.records import Record
from shared.providers import page_tokens
from shared.sync.streams import Page, StreamContext

log = logging.getLogger(__name__)

Query = Callable[[datetime, datetime, "str | None"], dict[str, str]]
Mapper = Callable[[Sequence[Mapping[str, Any]], str, str], Sequence[Record]]


@dataclass(frozen=True)
class MapWindow:
    """The range a page was read for and whom its records are for."""

    lower: datetime
    upper: datetime
    individual_id: str
    source: str


@dataclass(frozen=True)
class RestCollection:
    """One paged collection of a JSON API.

    Args:
        path: the collection's path below the API's base URL.
        query: the query of one request for [lower, upper) and the provider's page token (None: first page).
        records: the records of an answer body (malformed bodies give none).
        next_token: the provider's token of the next page in an answer body (None: the range is done).
        map_records: maps the records of one answer for a range (pure).
    """

    path: str
    query: Query
    records: Callable[[Any], Sequence[Mapping[str, Any]]]
    next_token: Callable[[Any], "str | None"]
    map_records: Callable[[Sequence[Mapping[str, Any]], MapWindow], Sequence[Record]]


Get = Callable[[StreamContext, str, dict[str, str]], Any]


def get_json(ctx: StreamContext, path: str, query: dict[str, str]) -> Any:
    """GET `<base>/<path>` with the query through the engine's authorised API."""
    return ctx.api.get_json(f"{ctx.base_url.rstrip('/')}/{path}", query)


def token_query(range_query: Callable[[datetime, datetime], dict[str, str]], token_parameter: str) -> Query:
    """Return a `query` sending `range_query`'s parameters and, after the first page, the token as `token_parameter`."""

    def query(lower: datetime, upper: datetime, provider_token: str | None) -> dict[str, str]:
        params = range_query(lower, upper)
        if provider_token:
            params[token_parameter] = provider_token
        return params

    return query


def kept_by(anchor: Callable[[Mapping[str, Any]], datetime | None], mapper: Mapper, *,
            neighbours: bool = False) -> Callable[[Sequence[Mapping[str, Any]], MapWindow], Sequence[Record]]:
    """Return a `map_records` that keeps the records whose `anchor` instant lies in the range and maps them.

    Every record then belongs to exactly one range, whatever the provider's own range semantics.
    With `neighbours`, the mapper also gets all of the answer's records (`neighbours=`).
    """

    def map_records(found: Sequence[Mapping[str, Any]], window: MapWindow) -> Sequence[Record]:
        kept = [record for record in found if _within(anchor(record), window.lower, window.upper)]
        if neighbours:
            return mapper(kept, window.individual_id, window.source, neighbours=found)  # type: ignore[call-arg]
        return mapper(kept, window.individual_id, window.source)

    return map_records


def read_page(ctx: StreamContext, collection: RestCollection, lower: datetime, upper: datetime,
              sent: str | None, *, get: Get = get_json) -> tuple[Sequence[Record], str | None]:
    """Make one request for [lower, upper) and a page; return its mapped records and the provider's next token.

    A next token equal to the one sent would read the same page forever: the range ends there.
    """
    body = get(ctx, collection.path, collection.query(lower, upper, sent))
    records = collection.map_records(collection.records(body), MapWindow(lower, upper, ctx.individual_id, ctx.source))
    following = collection.next_token(body)
    if following is not None and following == sent:
        log.warning("%s %s answered the page token it was sent; the range ends here", ctx.source, collection.path)
        following = None
    return records, following


@dataclass(frozen=True)
class NextTokenPaging:
    """Our page token when the provider's next-page token is all a window needs: `{"v": 1, "nt": "<token>"}`."""

    owner: str

    def encode(self, provider_token: str | None) -> str | None:
        """Return the engine-facing token of the provider's next token (None: the window is done)."""
        return None if not provider_token else page_tokens.dump({"nt": provider_token})

    def decode(self, token: str | None) -> str | None:
        """Return the provider's next token from an engine-facing token (None: the window's first page).

        Raises:
            JobError: the token is not one of ours.
        """
        if not token:
            return None
        return page_tokens.text(page_tokens.load(token, self.owner), "nt")


def fetch_page(ctx: StreamContext, start: datetime, end: datetime, token: str | None, *,
               collection: RestCollection, paging: NextTokenPaging) -> Page:
    """A stream's `fetch_page` for a collection read window by window, page by page with the provider's token."""
    records, following = read_page(ctx, collection, start, end, paging.decode(token))
    return Page(records, paging.encode(following))


def _within(value: datetime | None, lower: datetime, upper: datetime) -> bool:
    return value is not None and lower <= value < upper
