"""Read one page of a Withings action for a window [start, end) and map it (one form POST per page).

Reference: docs/providers/withings.md 3.1 (paging), 3.2 (date styles, lastupdate), 3.3 (deletions).
- Every call is a form POST to the action's service; the answer's `body` holds the rows.
- A backfill window is read by date: `startdate`/`enddate` (epoch seconds) for measures, or the
  local calendar days `startdateymd`/`enddateymd` padded by a day on each side (offsets run from
  -12 to +14 hours); rows are kept by their own instant in [start, end), so each row belongs to
  exactly one window.
- Sleep `get` and intraday activity take no `lastupdate` and at most 24 hours: every window, short
  or not, is read by epoch dates, and the engine cuts the range into one-day windows.
- A short window (an incremental sync: the cursor minus the engine's re-read overlap, up to now)
  is read with `lastupdate=start` instead, never together with dates: it returns every row
  created or changed since then, even one measured earlier (a scale that synced late, an edited
  entry), and those rows are kept when they lie before the window's end. Deletions leave no trace
  at Withings; the re-read overlap is what picks up a changed recent window.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shared.clock import UTC
from shared.contract.records import Record
from shared.providers.withings.envelope import payload
from shared.providers.withings.map_values import objects
from shared.providers.withings.paging import decode, encode, next_offset
from shared.sync.streams import Page, StreamContext

DAY_PADDING = timedelta(days=1)
INCREMENTAL_SPAN = timedelta(days=7)

Mapper = Callable[[Sequence[Mapping[str, Any]], str, str], Sequence[Record]]


@dataclass(frozen=True)
class Action:
    """One Withings list action: service path, action, date style, rows, their instant, mapper."""

    path: str
    action: str
    day_dates: bool  # True: `startdateymd`/`enddateymd`; False: epoch `startdate`/`enddate`
    rows_key: str
    anchor: Callable[[Mapping[str, Any]], datetime | None]
    mapper: Mapper
    fixed: Mapping[str, str] = field(default_factory=dict)
    lastupdate: bool = True  # False: the action takes no `lastupdate` (sleep `get`, intraday)
    unpack: Callable[[Any], list[Mapping[str, Any]]] = objects  # the rows of the answer's `rows_key` value


def incremental(action: Action, start: datetime, end: datetime) -> bool:
    """Tell whether a window is read with `lastupdate` (a short window, as incremental syncs make)."""
    return action.lastupdate and end - start <= INCREMENTAL_SPAN


def _epoch(value: datetime, *, up: bool = False) -> int:
    seconds = value.timestamp()
    whole = int(seconds)
    return whole + 1 if up and seconds > whole else whole


def range_params(action: Action, start: datetime, end: datetime) -> dict[str, str]:
    """Return the range parameters of a window: `lastupdate`, or dates (never both)."""
    if incremental(action, start, end):
        return {"lastupdate": str(_epoch(start))}
    if action.day_dates:
        first = (start.astimezone(UTC) - DAY_PADDING).date()
        last = (end.astimezone(UTC) + DAY_PADDING).date()
        return {"startdateymd": first.isoformat(), "enddateymd": last.isoformat()}
    return {"startdate": str(_epoch(start)), "enddate": str(_epoch(end, up=True))}


def form(action: Action, start: datetime, end: datetime, offset: int) -> dict[str, str]:
    """Return the form of one call: action, fixed parameters, range and offset."""
    fields = {"action": action.action, **action.fixed, **range_params(action, start, end)}
    if offset:
        fields["offset"] = str(offset)
    return fields


def kept(action: Action, rows: Sequence[Mapping[str, Any]], start: datetime, end: datetime
         ) -> list[Mapping[str, Any]]:
    """Return the rows a window owns: by date in [start, end); by `lastupdate` everything before end."""
    lower = None if incremental(action, start, end) else start
    out = []
    for row in rows:
        at = action.anchor(row)
        if at is not None and at < end and (lower is None or at >= lower):
            out.append(row)
    return out


def fetch_rows(ctx: StreamContext, start: datetime, end: datetime, token: str | None, *, action: Action) -> Page:
    """Read one page of an action and map the rows the window owns."""
    offset = decode(token)
    url = f"{ctx.base_url.rstrip('/')}{action.path}"
    body = payload(ctx.api.post_form(url, form(action, start, end, offset)))
    rows = kept(action, action.unpack(body.get(action.rows_key)), start, end)
    return Page(action.mapper(rows, ctx.individual_id, ctx.source), encode(next_offset(body, offset)))
