"""Decode Oura API v2 JSON values: local and UTC times, offsets, days, numbers, samples; build packets.

Reference: docs/providers/oura.md sections 1 and 4. Local date-times (bedtimes, workout times,
daily `timestamp`) carry the user's UTC offset, nested sample times may carry milliseconds, and
heart-rate rows are UTC. Unknown keys are ignored; optional keys may be absent or null.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from shared.clock import UTC
from shared.contract.records import STREAM_PREFIX, IntervalPoint, Point
from shared.contract.series import Series, SeriesPoint, group, number, packets  # noqa: F401 - used by the mappers

_NOON = timedelta(hours=12)
_fromisoformat = datetime.fromisoformat


_S = STREAM_PREFIX
HEARTRATE = Series(_S + "heartrate", "bpm", integer=True)
SLEEP_HEARTRATE = Series(_S + "interval.heartrate", "bpm")
HEART_RATE_VARIABILITY = Series(_S + "heart_rate_variability", "ms")


def instant(value: Any) -> datetime | None:
    """Return an ISO-8601 date-time with an offset as a UTC datetime, or None (naive or malformed)."""
    if type(value) is not str or not value:
        return None
    try:
        parsed = _fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is UTC:
        return parsed
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(UTC)


def local_time(value: Any) -> tuple[datetime, str] | None:
    """Return (UTC datetime, the user's offset as `+HH:MM`) of an Oura local date-time, or None."""
    if type(value) is not str or not value:
        return None
    try:
        parsed = _fromisoformat(value)
    except ValueError:
        return None
    offset = parsed.utcoffset()
    if offset is None:
        return None
    return parsed.astimezone(UTC), format_offset(offset)


def format_offset(offset: timedelta) -> str:
    """Return a UTC offset as `+HH:MM` (`+HH:MM:SS` when it has seconds)."""
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def day_of(value: Any) -> date | None:
    """Return a `YYYY-MM-DD` day, or None."""
    if type(value) is not str:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def daily_stamp(day: date) -> datetime:
    """Return the instant a daily value is stamped at: 12:00 UTC of its local day.

    Noon UTC lies on that same local date for every offset from -12:00 to +11:59 (the house rule
    for values that have a day but no instant).
    """
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + _NOON


def integer(value: Any) -> int | None:
    """Return a JSON number rounded to an int, or None."""
    found = number(value)
    return None if found is None else int(round(found))


def text(value: Any) -> str | None:
    """Return a non-empty string, or None."""
    return value if type(value) is str and value else None


def mapping(value: Any) -> Mapping[str, Any]:
    """Return `value` when it is an object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def documents(body: Any) -> list[Mapping[str, Any]]:
    """Return the `data` list of an envelope (objects only; a missing list gives [])."""
    items = body.get("data") if isinstance(body, Mapping) else None
    return [item for item in items if isinstance(item, Mapping)] if isinstance(items, list) else []


def next_token(body: Any) -> str | None:
    """Return the envelope's `next_token`; absent, null and "" all mean the last page."""
    token = body.get("next_token") if isinstance(body, Mapping) else None
    return token if isinstance(token, str) and token else None


def sample_points(series: Series, value: Any, *, interval: bool = False,
                  until: datetime | None = None) -> list[SeriesPoint]:
    """Return the positive items of a sample `{interval, items, timestamp}` as points.

    Item i covers [timestamp + i * interval, + interval): an instant point at its start, or an
    interval point over it. Null items are gaps; zero, negative and non-numeric items are skipped.
    With `until`, items starting at or after it are dropped and intervals are cut at it.
    """
    if not isinstance(value, Mapping):
        return []
    start = instant(value.get("timestamp"))
    seconds = number(value.get("interval"))
    items = value.get("items")
    if start is None or seconds is None or seconds <= 0 or not isinstance(items, list):
        return []
    step = timedelta(seconds=seconds)
    integer_values = series.integer
    out: list[SeriesPoint] = []
    append = out.append
    at = start
    for item in items:
        if until is not None and at >= until:
            break
        kind = type(item)
        if ((kind is float and math.isfinite(item)) or kind is int) and item > 0:
            found = int(round(item)) if integer_values else item
            if not interval:
                append(Point(at, found))
            else:
                stop = at + step
                append(IntervalPoint(at, stop if until is None or stop <= until else until, found))
        at += step
    return out
