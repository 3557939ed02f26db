"""Request pieces for the Google Health API: URLs, filter expressions, rollUp bodies, page sizes.

Reference: docs/providers/fitbit.md 3.3 (methods), 3.4-3.8 (page sizes, filters, rollups).
Filters take `>=` / `<` restrictions joined by AND, with double-quoted literals.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from shared.clock import UTC
from shared.providers.fitbit.catalogue import DataType
from shared.providers.fitbit.map_values import format_timestamp

LIST_PAGE_SIZE = 10000  # maximum for list and reconcile; larger values are silently truncated (3.4)
SESSION_PAGE_SIZE = 25  # sleep and exercise: default and maximum 25 (3.4)
CIVIL_MARGIN = timedelta(hours=14)  # civil literals carry no zone: widen by the largest offset (3.5)
_SECOND = timedelta(seconds=1)


def data_points_url(base_url: str, data_type: DataType, method: str = "") -> str:
    """Return `<base>/v4/users/me/dataTypes/<type>/dataPoints[:method]` (parent must be users/me, 3.1)."""
    suffix = f":{method}" if method else ""
    return f"{base_url.rstrip('/')}/v4/users/me/dataTypes/{data_type.path_id}/dataPoints{suffix}"


def range_filter(member: str, lower: str, upper: str) -> str:
    """Return `member >= "lower" AND member < "upper"`."""
    return f'{member} >= "{lower}" AND {member} < "{upper}"'


def physical_filter(member: str, start: datetime, end: datetime) -> str:
    """Return a physical-time filter for [start, end)."""
    return range_filter(member, format_timestamp(start), format_timestamp(end))


def civil_literal(value: datetime) -> str:
    """Return a zone-less civil literal `YYYY-MM-DDTHH:MM:SS` of a UTC wall clock."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def widened_civil_filter(member: str, start: datetime, end: datetime) -> str:
    """Return a civil filter covering every local time of the instants in [start, end)."""
    upper = end + CIVIL_MARGIN
    if upper.microsecond:
        upper = upper.replace(microsecond=0) + _SECOND
    return range_filter(member, civil_literal(start - CIVIL_MARGIN), civil_literal(upper))


def date_filter(member: str, first: date, stop: date) -> str:
    """Return a date-only filter for the dates [first, stop)."""
    return range_filter(member, first.isoformat(), stop.isoformat())


def list_params(filter_expression: str | None, page_size: int, page_token: str | None) -> dict[str, Any]:
    """Return list/reconcile query parameters (camelCase; paging repeats every other parameter)."""
    params: dict[str, Any] = {"pageSize": page_size}
    if filter_expression is not None:
        params["filter"] = filter_expression
    if page_token:
        params["pageToken"] = page_token
    return params


def rollup_body(start: datetime, end: datetime, window_seconds: int, page_token: str | None) -> dict[str, Any]:
    """Return a rollUp body: closed-open range, window size; `pageSize` left unset (3.7)."""
    body: dict[str, Any] = {"range": {"startTime": format_timestamp(start), "endTime": format_timestamp(end)},
                            "windowSize": f"{window_seconds}s"}
    if page_token:
        body["pageToken"] = page_token
    return body
