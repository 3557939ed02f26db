"""Contract times: UTC wall-clock strings `YYYY-MM-DD HH:MM:SS`, formatted fast."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from shared.clock import UTC

WIRE_TIME_PATTERN = r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]) (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
WIRE_TIME = re.compile(WIRE_TIME_PATTERN)

_MINUTE = timedelta(minutes=1)
_SECONDS = [f"{second:02d}" for second in range(60)]


def utc(value: datetime, what: str = "time") -> datetime:
    """Return `value` as a timezone.utc datetime; naive datetimes are refused.

    Raises:
        ValueError: `value` is naive (its wall clock could be any zone).
    """
    if value.tzinfo is UTC:
        return value
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware (got naive {value.isoformat()})")
    return value.astimezone(UTC)


def format_time(value: datetime) -> str:
    """Return a UTC-aware datetime as `YYYY-MM-DD HH:MM:SS` (sub-seconds dropped)."""
    return utc(value).strftime("%Y-%m-%d %H:%M:%S")


class MinuteFormatter:
    """Format UTC datetimes as contract strings, reusing the current minute's prefix (fast for series)."""

    __slots__ = ("_start", "_end", "_prefix")

    def __init__(self) -> None:
        self._start: datetime | None = None
        self._end: datetime | None = None
        self._prefix = ""

    def __call__(self, value: datetime) -> str:
        """Return `value` as `YYYY-MM-DD HH:MM:SS` UTC."""
        if value.tzinfo is not UTC:
            value = utc(value)
        if self._start is None or not self._start <= value < self._end:
            self._start = value.replace(second=0, microsecond=0)
            self._end = self._start + _MINUTE
            self._prefix = self._start.strftime("%Y-%m-%d %H:%M:")
        return self._prefix + _SECONDS[value.second]


def format_times(values: Iterable[datetime]) -> list[str]:
    """Return many UTC datetimes as contract strings."""
    return list(map(MinuteFormatter(), values))
