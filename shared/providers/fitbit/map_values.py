"""Decode Google Health API JSON scalars: timestamps, offsets, durations, int64 strings, NaN strings.

Encoding rules: docs/providers/fitbit.md section 3.2 (int64 as strings, doubles as numbers
or "NaN"/"Infinity" strings, RFC 3339 UTC timestamps with 0-9 fractional digits, signed decimal
durations with an `s` suffix, proto3 defaults omitted).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from shared.clock import UTC

_FRACTION = re.compile(r"\.(\d{6})\d+")
_NOON = timedelta(hours=12)


def timestamp(value: Any) -> datetime | None:
    """Return an RFC 3339 timestamp as a UTC datetime (sub-microseconds dropped), or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.fromisoformat(_FRACTION.sub(r".\1", value.replace("z", "Z")))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        return None
    return parsed if parsed.tzinfo is UTC else parsed.astimezone(UTC)


def format_timestamp(value: datetime) -> str:
    """Return a UTC datetime as the RFC 3339 literal filters take (`...Z`, microseconds when set)."""
    text = value.astimezone(UTC).replace(tzinfo=None).isoformat()
    return text + "Z"


def duration_seconds(value: Any) -> float | None:
    """Return a protobuf duration (`"-14400s"`, `"3.5s"`) in seconds, or None."""
    if isinstance(value, str) and value.endswith("s"):
        try:
            seconds = float(value[:-1])
        except ValueError:
            return None
        return seconds if math.isfinite(seconds) else None
    return None


def offset_seconds(value: Any) -> int | None:
    """Return a UTC offset duration (`"7200s"`) as whole seconds, or None."""
    seconds = duration_seconds(value)
    return None if seconds is None else int(round(seconds))


def format_offset(seconds: int) -> str:
    """Return an offset in seconds as `+HH:MM` (`+HH:MM:SS` when it has seconds)."""
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def utc_offset(value: Any) -> str | None:
    """Return a UTC offset duration as `+HH:MM`, or None when absent or malformed."""
    seconds = offset_seconds(value)
    return None if seconds is None else format_offset(seconds)


def int64(value: Any, default: int | None = None) -> int | None:
    """Return an int64 field (a JSON string or number); `default` when absent or not a finite number."""
    if type(value) is str:
        try:
            return int(value)
        except ValueError:
            number = double(value)
            return default if number is None else int(number)
    if value is None:
        return default
    if type(value) is int:
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    return default


def double(value: Any, default: float | None = None) -> float | None:
    """Return a double field (number, or string such as "NaN"); `default` when absent or not finite."""
    if value is None or isinstance(value, bool):
        return default
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return default
    else:
        return default
    return number if math.isfinite(number) else default


def civil_date(value: Any) -> date | None:
    """Return a `Date` message (`{"year", "month", "day"}`) as a date, or None."""
    if not isinstance(value, Mapping):
        return None
    try:
        return date(int(value["year"]), int(value["month"]), int(value["day"]))
    except (KeyError, TypeError, ValueError):
        return None


def daily_timestamp(day: date) -> datetime:
    """Return the instant a daily value is stamped at: 12:00 UTC of its date.

    Daily types carry only the user's local date, no offset (docs/providers/fitbit.md 3.10). Noon UTC falls on
    that same local date for every offset from -12:00 to +11:59, so the stamp never moves the
    value to a neighbouring day for nearly all users.
    """
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + _NOON


def resource_id(point: Mapping[str, Any]) -> str | None:
    """Return the trailing id of a data point's `name` (list/get) or `dataPointName` (reconcile)."""
    name = point.get("name") or point.get("dataPointName")
    if not isinstance(name, str) or not name:
        return None
    return name.rsplit("/", 1)[-1]


def device_name(point: Mapping[str, Any]) -> str | None:
    """Return the recording device's display name (only `list` and `get` carry `dataSource`)."""
    source = point.get("dataSource")
    device = source.get("device") if isinstance(source, Mapping) else None
    name = device.get("displayName") if isinstance(device, Mapping) else None
    return name if isinstance(name, str) and name else None


def data_points(body: Any, key: str = "dataPoints") -> list[Mapping[str, Any]]:
    """Return the list under `key` of a response body (`{}` and a missing key give [])."""
    if not isinstance(body, Mapping):
        return []
    items = body.get(key)
    return [item for item in items if isinstance(item, Mapping)] if isinstance(items, list) else []


def next_page_token(body: Any) -> str | None:
    """Return the response's next page token; absent, null and "" all mean the end."""
    token = body.get("nextPageToken") if isinstance(body, Mapping) else None
    return token if isinstance(token, str) and token else None
