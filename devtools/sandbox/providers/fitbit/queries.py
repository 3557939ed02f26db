"""Answering list and reconcile queries: page sizes, source families, page tokens, paging.

Reference: docs/providers/fitbit.md 3.4 (page sizes, order, tokens), 3.6 (reconcile), 3.11
(data source families), 3.12 (page-boundary drop, modelled by the `tie_drop` knob).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from devtools.sandbox.providers.fitbit.filters import Filter
from devtools.sandbox.providers.fitbit.records import MANUAL, PHONE, SCALE, WATCH, Record, records
from devtools.sandbox.providers.fitbit.types import HealthType
from devtools.sandbox.wearer.clock import day_start, utc_day
from devtools.sandbox.wearer.profiles import Profile

HISTORY_DAYS = 430
FAMILIES = {
    "users/me/dataSourceFamilies/all-sources": frozenset({WATCH, PHONE, MANUAL, SCALE}),
    "users/me/dataSourceFamilies/google-wearables": frozenset({WATCH, SCALE}),
    "users/me/dataSourceFamilies/google-sources": frozenset({WATCH, PHONE, MANUAL, SCALE}),
    "users/me/dataSourceFamilies/self-sources": frozenset(),
}


class QueryError(ValueError):
    """A query the API refuses with 400: `reason` (None: a bare INVALID_ARGUMENT without details)."""

    def __init__(self, reason: str | None, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Query:
    """One list/reconcile request, validated."""

    method: str
    kind: HealthType
    filter_text: str
    parsed: Filter
    page_size: int
    sources: frozenset[int]
    family: str

    def fingerprint(self) -> str:
        """Return what a page token is bound to: every parameter except the token."""
        text = json.dumps([self.method, self.kind.path_id, self.filter_text, self.page_size, self.family])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def page_size(raw: str | None, kind: HealthType) -> int:
    """Return the effective page size: default 1440 (sessions 25), larger values truncated."""
    default, ceiling = (25, 25) if kind.kind == "session" else (1440, 10000)
    if raw is None or raw == "":
        return default
    try:
        size = int(raw)
    except ValueError:
        raise QueryError("INVALID_PAGE_SIZE", f"Invalid page size {raw!r}.") from None
    if size < 0:
        raise QueryError("INVALID_PAGE_SIZE", "The page size must not be negative.")
    return default if size == 0 else min(size, ceiling)


def family_sources(raw: str | None, method: str, kind: HealthType) -> frozenset[int]:
    """Return the sources a dataSourceFamily admits."""
    if raw is None:
        return FAMILIES["users/me/dataSourceFamilies/all-sources"]
    if method == "list" and kind.path_id in ("sleep", "food", "food-measurement-unit"):
        raise QueryError(None, "Request contains an invalid argument.")
    found = FAMILIES.get(raw)
    if found is None:
        raise QueryError("INVALID_DATA_POINT_DATA_SOURCE_FAMILY", f"Invalid data source family {raw!r}.")
    return found


def encode_token(fingerprint: str, record: Record) -> str:
    """Return the page token after `record`."""
    raw = json.dumps([fingerprint, record[0], record[1]], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str, fingerprint: str) -> tuple[int, int]:
    """Return the (key, source) a page token continues after.

    Raises:
        QueryError: INVALID_PAGE_TOKEN for a foreign, altered or mismatched token.
    """
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if data[0] == fingerprint and type(data[1]) is int and type(data[2]) is int:
            return data[1], data[2]
    except (ValueError, TypeError, IndexError, KeyError):
        pass
    raise QueryError("INVALID_PAGE_TOKEN", "The page token is invalid or does not match the request.")


def history_start(now: int) -> int:
    """Return where the synthetic history starts (430 days before today)."""
    return day_start(utc_day(now)) - HISTORY_DAYS * 86400


def _times(profile: Profile, record: Record):
    key, _, end = record[0], record[1], record[2]

    def at(clock: str, anchor: str) -> float:
        moment = end if anchor == "end" and end is not None else key
        return moment + profile.offset_seconds(moment) if clock == "civil" else moment
    return at


def page(profile: Profile, query: Query, token: str | None, *, descending: bool, merged: bool,
         tie_drop: bool, now: int) -> tuple[list[Record], Record | None]:
    """Return a page of records and the last one when more follow (None at the end)."""
    lower, upper = query.parsed.key_span()
    low = max(math.ceil(lower), history_start(now)) if lower != -math.inf else history_start(now)
    high = min(math.ceil(upper), now + 1) if upper != math.inf else now + 1
    cursor = decode_token(token, query.fingerprint()) if token else None
    if cursor is not None:
        if descending:
            high = min(high, cursor[0] + 1)
        else:
            low = max(low, cursor[0])
    found: list[Record] = []
    for record in _matching(profile, query, low, high, descending, merged, now):
        if cursor is not None:
            position = (record[0], record[1])
            if (position >= cursor) if descending else (position <= cursor):
                continue
            if tie_drop and record[0] == cursor[0]:
                continue  # the boundary drop once observed live
        found.append(record)
        if len(found) > query.page_size:
            return found[:query.page_size], found[query.page_size - 1]
    return found, None


def _matching(profile: Profile, query: Query, low: int, high: int, descending: bool, merged: bool,
              now: int) -> Iterator[Record]:
    check = not query.parsed.exact_on_key
    for record in records(profile, query.kind.path_id, low, high, descending=descending, merged=merged, now=now):
        if record[1] not in query.sources:
            continue
        if check and not query.parsed.matches(_times(profile, record)):
            continue
        yield record


def body_of(items: list[dict[str, Any]], next_token: str | None, end_token_omitted: bool) -> dict[str, Any]:
    """Return the response body (empty lists omitted, as proto3 JSON does)."""
    body: dict[str, Any] = {}
    if items:
        body["dataPoints"] = items
    if next_token:
        body["nextPageToken"] = next_token
    elif not end_token_omitted:
        body["nextPageToken"] = ""
    return body
