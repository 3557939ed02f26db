"""Decode Google Fit REST JSON: int64 times as strings, `value[]` slots, buckets and datasets.

Encoding rules: docs/providers/google_fit.md section 1 (int64 fields are JSON strings in answers;
`intVal` is an int32 number, `fpVal` a double that may be written without a decimal point; aggregate
points carry an extra empty `mapVal`; absent arrays are usually omitted) and 3.3 (an unset optional
field still occupies its slot, its encoding is undocumented: a slot without `intVal`/`fpVal` is null).
Floats are single-precision values widened to double (74.30000305175781), so they are rounded back
to the 7 significant digits a float32 holds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from shared.clock import UTC

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MS_PER_DAY = 86_400_000
Slot = int | float | None


def int64(value: Any) -> int | None:
    """Return an int64 field sent as a JSON string or number, or None when absent or malformed."""
    if type(value) is int:
        return value
    if type(value) is str:
        try:
            return int(value.strip())
        except ValueError:
            return None
    if type(value) is float and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def from_millis(value: Any) -> datetime | None:
    """Return an epoch-milliseconds field as a UTC datetime, or None."""
    millis = int64(value)
    return None if millis is None else EPOCH + timedelta(milliseconds=millis)


def from_nanos(value: Any) -> datetime | None:
    """Return an epoch-nanoseconds field as a UTC datetime (sub-microseconds dropped), or None."""
    nanos = int64(value)
    return None if nanos is None else EPOCH + timedelta(microseconds=nanos // 1000)


def to_millis(value: datetime) -> int:
    """Return a timezone-aware datetime as epoch milliseconds (sub-milliseconds dropped)."""
    delta = value.astimezone(UTC) - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def to_nanos(value: datetime) -> int:
    """Return a timezone-aware datetime as epoch nanoseconds."""
    delta = value.astimezone(UTC) - EPOCH
    return ((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds) * 1000


def rfc3339(value: datetime) -> str:
    """Return a datetime as the RFC 3339 UTC literal `sessions.list` takes (`...T..:..:...mmmZ`)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def float32(value: float) -> float:
    """Return `value` rounded to the 7 significant digits of a single-precision float."""
    return float(f"{value:.7g}")


def slot(value: Any) -> Slot:
    """Return one `Value` as an int (`intVal`), a float (`fpVal`) or None (unset or unreadable)."""
    if not isinstance(value, Mapping):
        return None
    found = value.get("intVal")
    if type(found) is int:
        return found
    if type(found) is float and math.isfinite(found) and found.is_integer():
        return int(found)
    found = value.get("fpVal")
    if type(found) in (int, float) and math.isfinite(found):
        return float(found)
    return None


def slots(point: Mapping[str, Any]) -> list[Slot]:
    """Return a point's `value[]` slots in field order (positional; unset slots are None)."""
    values = point.get("value")
    return [slot(item) for item in values] if isinstance(values, list) else []


def summary(values: list[Slot]) -> tuple[float, float, float] | None:
    """Return (average, maximum, minimum) of a 3-value summary, whatever order it came in.

    The SDK order is [average, max, min]; one client reports [min, average, max]
    (docs/providers/google_fit.md 4.3, UNCERTAIN). Since min <= average <= max, the middle value
    after sorting is the average in either order.
    """
    first = values[:3]
    if len(first) < 3 or any(value is None for value in first):
        return None
    low, middle, high = sorted(float(value) for value in first)  # type: ignore[arg-type]
    return middle, high, low


def items(body: Any, key: str) -> list[Mapping[str, Any]]:
    """Return the objects of the list under `key` (missing, null or malformed: [])."""
    found = body.get(key) if isinstance(body, Mapping) else None
    return [item for item in found if isinstance(item, Mapping)] if isinstance(found, list) else []


def dataset_points(dataset: Any) -> list[Mapping[str, Any]]:
    """Return a dataset's points; an empty dataset may send `point: []` or no `point` key at all."""
    return items(dataset, "point")


def bucket_datasets(bucket: Mapping[str, Any]) -> list[Any]:
    """Return a bucket's datasets in request order (positions matter; non-objects stay as gaps)."""
    found = bucket.get("dataset")
    return found if isinstance(found, list) else []


def bucket_bounds(bucket: Mapping[str, Any]) -> tuple[datetime, datetime] | None:
    """Return a bucket's [start, end) from its millisecond bounds, or None when unreadable."""
    start, end = from_millis(bucket.get("startTimeMillis")), from_millis(bucket.get("endTimeMillis"))
    if start is None or end is None or end <= start:
        return None
    return start, end


def point_span(point: Mapping[str, Any]) -> tuple[datetime, datetime] | None:
    """Return a point's [start, end] from its nanosecond times, or None when unreadable."""
    start, end = from_nanos(point.get("startTimeNanos")), from_nanos(point.get("endTimeNanos"))
    if start is None or end is None or end < start:
        return None
    return start, end
