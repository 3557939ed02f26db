"""Read one page of an Oura collection for a window [start, end) and map it (one API call per page).

Reference: docs/providers/oura.md 3.1 (parameters, paging, date semantics), 6 (errors).
- Date collections take `start_date`/`end_date`. Whether `end_date` counts differs per collection
  and the `day` of a document is the user's local day, so the request is padded by two days on each
  side and documents are kept by their own instant (the anchor a collection is declared with) in [start, end): every
  document is emitted by exactly one window, whatever the offset and the end-date rule.
- `heartrate` takes `start_datetime`/`end_datetime` (UTC); rows are kept in [start, end).
- `next_token` is sent with the same range parameters until Oura answers null.
- No maximum range is documented, so a window is read in one request. A 400 for a long range makes
  the rest of the window be read in chunks: the documented advice first (about 90 days of dates,
  under 30 days of heart rate), then under 30 days for dates too (one report saw every range over
  30 days fail). A chunk that is still refused stops the stream (ProviderRejected).
- One report has a collection outside the granted scopes answer 401 while the token works: a 401
  that survives the engine's refresh is checked against `personal_info` (readable with any scope),
  and becomes ScopeMissing when that call succeeds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from shared.clock import UTC
from shared.contract.records import Record
from shared.errors import JobError, ProviderRejected, ReauthRequired, ScopeMissing
from shared.providers.oura.map_heartrate import map_heartrate
from shared.providers.oura.map_values import documents, next_token
from shared.providers.oura.paging import Continuation, decode, encode
from shared.sync.rest import MapWindow, RestCollection, get_json, kept_by, read_page, token_query
from shared.sync.streams import Page, StreamContext

DATE_PADDING = timedelta(days=2)
# Fallback chunks, largest first. With its padding a date request then spans at most 90 days (Oura's
# FAQ: fetch history 1-3 months at a time), or at most 30; heart rate stays under 30 days.
DOCUMENT_CHUNKS = (timedelta(days=86), timedelta(days=26))
HEARTRATE_CHUNKS = (timedelta(days=29),)
PERSONAL_INFO = "personal_info"
log = logging.getLogger(__name__)

Mapper = Callable[[Sequence[Mapping[str, Any]], str, str], Sequence[Record]]


def collection_url(base_url: str, path: str) -> str:
    """Return `<base>/v2/usercollection/<path>`."""
    return f"{base_url.rstrip('/')}/v2/usercollection/{path}"


def date_params(lower: datetime, upper: datetime) -> dict[str, str]:
    """Return `start_date`/`end_date` covering every document whose instant lies in [lower, upper)."""
    first = (lower.astimezone(UTC) - DATE_PADDING).date()
    last = (upper.astimezone(UTC) + DATE_PADDING).date()
    return {"start_date": first.isoformat(), "end_date": last.isoformat()}


def datetime_params(lower: datetime, upper: datetime) -> dict[str, str]:
    """Return `start_datetime`/`end_datetime` in UTC whole seconds covering [lower, upper)."""
    first = lower.astimezone(UTC).replace(microsecond=0)
    last = upper.astimezone(UTC)
    if last.microsecond:
        last = last.replace(microsecond=0) + timedelta(seconds=1)
    return {"start_datetime": _rfc3339(first), "end_datetime": _rfc3339(last)}


def _rfc3339(value: datetime) -> str:
    return value.replace(tzinfo=None).isoformat() + "Z"


def collection_path(name: str) -> str:
    """Return the path of an Oura collection below the API's base URL."""
    return f"v2/usercollection/{name}"


def documents_collection(name: str, anchor: Callable[[Mapping[str, Any]], datetime | None], mapper: Mapper, *,
                         neighbours: bool = False) -> RestCollection:
    """Declare a date collection: documents kept by their `anchor` instant (`neighbours`: see `kept_by`)."""
    return RestCollection(path=collection_path(name), query=token_query(date_params, "next_token"),
                          records=documents, next_token=next_token,
                          map_records=kept_by(anchor, mapper, neighbours=neighbours))


def _heartrate_records(rows: Sequence[Mapping[str, Any]], window: MapWindow) -> Sequence[Record]:
    return map_heartrate(rows, window.individual_id, window.source, window.lower, window.upper)


HEARTRATE = RestCollection(path=collection_path("heartrate"), query=token_query(datetime_params, "next_token"),
                           records=documents, next_token=next_token, map_records=_heartrate_records)


def fetch_documents(ctx: StreamContext, start: datetime, end: datetime, token: str | None, *,
                    collection: RestCollection) -> Page:
    """Read one page of a date collection; keep and map the documents counting in its range."""
    return _read(ctx, start, end, token, collection=collection, chunks=DOCUMENT_CHUNKS)


def fetch_heartrate(ctx: StreamContext, start: datetime, end: datetime, token: str | None) -> Page:
    """Read one page of heart-rate rows; keep and map the rows in its range."""
    return _read(ctx, start, end, token, collection=HEARTRATE, chunks=HEARTRATE_CHUNKS)


def _read(ctx: StreamContext, start: datetime, end: datetime, token: str | None, *, collection: RestCollection,
          chunks: tuple[timedelta, ...]) -> Page:
    """Read one page, and on a 400 for a long range go on in smaller chunks (Oura's range fallback)."""
    current = decode(token)
    lower = current.lower or start
    upper = min(lower + timedelta(days=current.chunk_days), end) if current.chunk_days else end
    try:
        records, provider_next = read_page(ctx, collection, lower, upper, current.provider_token, get=_get)
    except ProviderRejected as error:
        smaller = [chunk for chunk in chunks if chunk < upper - lower]
        if error.status != 400 or current.provider_token or not smaller:
            raise
        log.warning("oura %s refused a %d-day range (HTTP 400); reading on in %d-day chunks", collection.path,
                    (upper - lower).days, smaller[0].days)
        return Page((), encode(Continuation(lower, smaller[0].days)))
    if provider_next:
        following: Continuation | None = Continuation(current.lower, current.chunk_days, provider_next)
    elif current.chunk_days and upper < end:
        following = Continuation(upper, current.chunk_days)
    else:
        following = None
    return Page(records, encode(following))


def _get(ctx: StreamContext, path: str, query: dict[str, str]) -> Any:
    """GET a collection; a lasting 401 is told apart from a dead grant by a `personal_info` call."""
    try:
        return get_json(ctx, path, query)
    except ReauthRequired as refused:
        if refused.status != 401:
            raise  # the refresh itself was refused (invalid_grant): the grant is gone
        try:
            ctx.api.get_json(collection_url(ctx.base_url, PERSONAL_INFO))  # ReauthRequired when the grant is gone
        except JobError:
            raise refused from None  # the connection was marked for re-authorisation meanwhile
        raise ScopeMissing("oura", f"oura refused {path} (HTTP 401) though the token works", status=401) from None
