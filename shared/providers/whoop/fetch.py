"""Read one page of a WHOOP collection for a window [start, end) and map it (one API call per page).

Reference: docs/providers/whoop.md 3.1 (parameters, paging), 4 (records), 6 (errors).
- `start` is inclusive and `end` exclusive, matched against each record's own span, so every
  record whose `start` lies in [start, end) is returned; records are kept by that instant
  (the anchor a collection is declared with), so each one belongs to exactly one window. Recoveries have no start:
  they are kept by `created_at`, and WHOOP matches their range against the sleep they are based
  on, so their requests start `RECOVERY_PADDING` earlier.
- `limit` is 25, the largest page; `nextToken` (camelCase: a snake_case `next_token` parameter is
  ignored) goes back with the same `start` and `end` until the answer has no `next_token`.
- No maximum range is documented: a window is one request plus its pages.
- The body measurement has no time and may be missing (404): see `fetch_body`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from shared.clock import UTC
from shared.contract.records import Record
from shared.errors import ProviderRejected
from shared.providers.whoop.map_body import map_body
from shared.providers.whoop.map_values import next_token, records
from shared.sync.rest import RestCollection, kept_by, token_query
from shared.sync.streams import Page, StreamContext

PAGE_LIMIT = 25
RECOVERY_PADDING = timedelta(days=3)
BODY_PATH = "v2/user/measurement/body"

Mapper = Callable[[Sequence[Mapping[str, Any]], str, str], Sequence[Record]]


def api_url(base_url: str, path: str) -> str:
    """Return `<base>/<path>`."""
    return f"{base_url.rstrip('/')}/{path}"


def timestamp(value: datetime) -> str:
    """Return a UTC date-time with milliseconds and `Z`, as WHOOP writes them (offset-less values are UTC)."""
    moment = value.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def range_query(padding: timedelta) -> Callable[[datetime, datetime], dict[str, str]]:
    """Return the range part of a page's query: `start` (`padding` earlier), `end` and `limit`."""

    def query(start: datetime, end: datetime) -> dict[str, str]:
        return {"start": timestamp(start - padding), "end": timestamp(end), "limit": str(PAGE_LIMIT)}

    return query


def collection_query(start: datetime, end: datetime, provider_token: str | None, padding: timedelta
                     ) -> dict[str, str]:
    """Return the query of one page: `start`, `end`, `limit` and, after the first page, `nextToken`."""
    return token_query(range_query(padding), "nextToken")(start, end, provider_token)


def collection(path: str, anchor: Callable[[Mapping[str, Any]], datetime | None], mapper: Mapper,
               padding: timedelta = timedelta(0)) -> RestCollection:
    """Declare a WHOOP collection: records kept by their `anchor` instant, requests starting `padding` early."""
    return RestCollection(path=path, query=token_query(range_query(padding), "nextToken"), records=records,
                          next_token=next_token, map_records=kept_by(anchor, mapper))


def body_stamp(start: datetime, end: datetime) -> datetime:
    """Return the instant a body reading of the window is stamped at: the start of the UTC day of its end.

    Never before the window's start, so the reading stays inside [start, end).
    """
    last = end.astimezone(UTC) - timedelta(microseconds=1)
    midnight = last.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(midnight, start.astimezone(UTC))


def fetch_body(ctx: StreamContext, start: datetime, end: datetime, token: str | None) -> Page:
    """Read the current body measurement; a member without one (404) gives no records."""
    try:
        body = ctx.api.get_json(api_url(ctx.base_url, BODY_PATH))
    except ProviderRejected as error:
        if error.status != 404:
            raise
        return Page((), None)
    return Page(map_body(body, ctx.individual_id, ctx.source, body_stamp(start, end)), None)
