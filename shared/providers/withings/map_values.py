"""Decode Withings JSON values: epoch seconds, IANA zones and offsets, local days, numbers, measures.

Reference: docs/providers/withings.md 1 (conventions, time zones), 4.1 (measure values).
Instants are epoch seconds; day-based rows carry their own IANA `timezone`. Unknown keys are
ignored; optional keys may be absent or null.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.clock import UTC
from shared.contract.records import STREAM_PREFIX
from shared.contract.series import Series, SeriesPoint, group, number, packets  # noqa: F401 - used by the mappers

MAX_EPOCH = 32503680000  # year 3000: larger "epochs" are malformed


def series(name: str, unit: str, integer: bool = False) -> Series:
    """Return the series of a short stream name (`weight` -> its full name)."""
    return Series(STREAM_PREFIX + name, unit, integer)


def positive(value: Any) -> int | float | None:
    """Return a number above zero, or None (Withings sends 0 for what a device did not measure)."""
    found = number(value)
    return found if found is not None and found > 0 else None


def text(value: Any) -> str | None:
    """Return a non-empty string, or None."""
    return value if type(value) is str and value else None


def record_id(value: Any) -> str | None:
    """Return an id (an integer or a non-empty string) as a string, or None."""
    if type(value) is int:
        return str(value)
    return text(value)


def mapping(value: Any) -> Mapping[str, Any]:
    """Return `value` when it is an object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def objects(value: Any) -> list[Mapping[str, Any]]:
    """Return the objects of a list (a missing list gives [])."""
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def instant(value: Any) -> datetime | None:
    """Return epoch seconds (an integer) as a UTC datetime, or None."""
    if type(value) is not int or not 0 <= value < MAX_EPOCH:
        return None
    return datetime.fromtimestamp(value, UTC)


@functools.lru_cache(maxsize=256)
def zone(name: Any) -> ZoneInfo | None:
    """Return the IANA zone of a name, or None when unknown."""
    if type(name) is not str or not name or name.startswith("/") or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def format_offset(offset: timedelta) -> str:
    """Return a UTC offset as `+HH:MM` (`+HH:MM:SS` when it has seconds)."""
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def offset_at(found: ZoneInfo | None, at: datetime) -> str | None:
    """Return the zone's UTC offset at an instant as `+HH:MM`, or None without a zone."""
    if found is None:
        return None
    offset = at.astimezone(found).utcoffset()
    return format_offset(offset) if offset is not None else None


def day_of(value: Any) -> date | None:
    """Return a `YYYY-MM-DD` day, or None."""
    if type(value) is not str:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def local_day(day: date, found: ZoneInfo) -> tuple[datetime, datetime]:
    """Return the UTC instants of local midnight of `day` and of the next day in the zone."""
    first = datetime(day.year, day.month, day.day, tzinfo=found)
    following = day + timedelta(days=1)
    last = datetime(following.year, following.month, following.day, tzinfo=found)
    return first.astimezone(UTC), last.astimezone(UTC)


def measure_value(value: Any, unit: Any) -> float | None:
    """Return `value x 10^unit` (both integers) exactly, as a float; None when malformed."""
    if type(value) is not int or type(unit) is not int or not -20 <= unit <= 20:
        return None
    return float(Decimal(value).scaleb(unit))
