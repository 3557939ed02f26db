"""Read one page of an Oura collection for a window [start, end) and map it (one API call per page).

Reference: docs/providers/oura.md 3.1 (parameters, paging, date semantics), 6 (errors).
- Date collections take `start_date`/`end_date`. Whether `end_date` counts differs per collection
  and the `day` of a document is the user's local day, so the request is padded by two days on each
  side and documents are kept by their own instant (`Collection.anchor`) in [start, end): every
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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared.clock import UTC
from shared.contract.records import Record
from shared.errors import JobError, ProviderRejected, ReauthRequired, ScopeMissing
from shared.providers.oura.map_heartrate import map_heartrate
from shared.providers.oura.map_values import documents, next_token
from shared.providers.oura.paging import Continuation, decode, encode
from shared.sync.streams import Page, StreamContext

DATE_PADDING = timedelta(days=2)
# Fallback chunks, largest first. With its padding a date request then spans at most 90 days (Oura's
# FAQ: fetch history 1-3 months at a time), or at most 30; heart rate stays under 30 days.
DOCUMENT_CHUNKS = (timedelta(days=86), timedelta(days=26))
HEARTRATE_CHUNKS = (timedelta(days=29),)
PERSONAL_INFO = "personal_info"
log = logging.getLogger(__name__)

Mapper = Callable[[Sequence[Mapping[str, Any]], str, str], Sequence[Record]]


@dataclass(frozen=True)
class Collection:
    """One Oura date collection: its path, the instant a document counts at, and its mapper."""

    path: str
    anchor: Callable[[Mapping[str, Any]], datetime | None]
    mapper: Mapper
    neighbours: bool = False  # the mapper also takes the answer's other documents (`neighbours=`)


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


def fetch_documents(ctx: StreamContext, start: datetime, end: datetime, token: str | None, *,
                    collection: Collection) -> Page:
    """Read one page of a date collection; keep and map the documents counting in its range."""
    def mapped(body: Any, lower: datetime, upper: datetime) -> Sequence[Record]:
        every = documents(body)
        kept = [doc for doc in every if _within(collection.anchor(doc), lower, upper)]
        if collection.neighbours:
            return collection.mapper(kept, ctx.individual_id, ctx.source, neighbours=every)  # type: ignore[call-arg]
        return collection.mapper(kept, ctx.individual_id, ctx.source)

    return _read(ctx, start, end, token, path=collection.path, chunks=DOCUMENT_CHUNKS, params=date_params,
                 mapped=mapped)


def fetch_heartrate(ctx: StreamContext, start: datetime, end: datetime, token: str | None) -> Page:
    """Read one page of heart-rate rows; keep and map the rows in its range."""
    def mapped(body: Any, lower: datetime, upper: datetime) -> Sequence[Record]:
        return map_heartrate(documents(body), ctx.individual_id, ctx.source, lower, upper)

    return _read(ctx, start, end, token, path="heartrate", chunks=HEARTRATE_CHUNKS, params=datetime_params,
                 mapped=mapped)


def _read(ctx: StreamContext, start: datetime, end: datetime, token: str | None, *, path: str,
          chunks: tuple[timedelta, ...], params: Callable[[datetime, datetime], dict[str, str]],
          mapped: Callable[[Any, datetime, datetime], Sequence[Record]]) -> Page:
    current = decode(token)
    lower = current.lower or start
    upper = min(lower + timedelta(days=current.chunk_days), end) if current.chunk_days else end
    query: dict[str, str] = params(lower, upper)
    if current.provider_token:
        query["next_token"] = current.provider_token
    try:
        body = _get(ctx, path, query)
    except ProviderRejected as error:
        smaller = [chunk for chunk in chunks if chunk < upper - lower]
        if error.status != 400 or current.provider_token or not smaller:
            raise
        log.warning("oura %s refused a %d-day range (HTTP 400); reading on in %d-day chunks", path,
                    (upper - lower).days, smaller[0].days)
        return Page((), encode(Continuation(lower, smaller[0].days)))
    records = mapped(body, lower, upper)
    provider_next = next_token(body)
    if provider_next is not None and provider_next == current.provider_token:
        log.warning("oura %s answered the next_token it was sent; the range ends here", path)
        provider_next = None
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
        return ctx.api.get_json(collection_url(ctx.base_url, path), query)
    except ReauthRequired as refused:
        if refused.status != 401:
            raise  # the refresh itself was refused (invalid_grant): the grant is gone
        try:
            ctx.api.get_json(collection_url(ctx.base_url, PERSONAL_INFO))  # ReauthRequired when the grant is gone
        except JobError:
            raise refused from None  # the connection was marked for re-authorisation meanwhile
        raise ScopeMissing("oura", f"oura refused {path} (HTTP 401) though the token works", status=401) from None


def _within(value: datetime | None, lower: datetime, upper: datetime) -> bool:
    return value is not None and lower <= value < upper
