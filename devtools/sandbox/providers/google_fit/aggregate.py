"""`dataset:aggregate` of the Google Fit imitation: request checks, buckets and aggregated points.

Reference: docs/providers/google_fit.md 3.2 and 4.3. Buckets are fixed lengths from
`startTimeMillis` (the last one clipped), calendar periods in a zone, one per session, or one for
the whole range when no strategy is sent. Every bucket lists one dataset per `aggregateBy` entry,
in request order, empty ones included; a point spans the data inside its bucket.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from devtools.sandbox.providers.google_fit.buckets import bucket_points
from devtools.sandbox.providers.google_fit.days import habits_of
from devtools.sandbox.providers.google_fit.sessions import session_json, user_sessions
from devtools.sandbox.providers.google_fit.types import GMS, SUMMARY_TYPES, TYPES, FitType, source_type, user_has

MAX_BUCKETS = 86_400  # "Cannot bucket into more than 86400 intervals" (Android SDK; 3.2)
_STRATEGIES = ("bucketByTime", "bucketBySession", "bucketByActivityType", "bucketByActivitySegment")


class AggregateError(Exception):
    """The request is refused with 400 and this message."""


@dataclass(frozen=True)
class Entry:
    """One `aggregateBy` entry: the type read and the id its dataset carries."""

    fit_type: FitType
    dataset_id: str


@dataclass(frozen=True)
class Bucket:
    """One answer bucket: [start, end) in epoch ms, its kind, and the session it stands for."""

    start: int
    end: int
    kind: str = "time"
    session: dict[str, Any] | None = None


def _millis(value: Any) -> int | None:
    """Return an int64 sent as a number or a string (requests may use either; 1)."""
    if type(value) is int:
        return value
    if type(value) is str and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def parse_entries(body: Any, user: str) -> list[Entry]:
    """Return the `aggregateBy` entries.

    Raises:
        AggregateError: no entries, an entry with both or neither key, an output (summary) type, an
            unknown type, or a data source the user does not have.
    """
    entries = body.get("aggregateBy") if isinstance(body, dict) else None
    if not isinstance(entries, list) or not entries:
        raise AggregateError("Require at least one aggregateby")
    out = []
    for entry in entries:
        name = entry.get("dataTypeName") if isinstance(entry, dict) else None
        source = entry.get("dataSourceId") if isinstance(entry, dict) else None
        if (name is None) == (source is None):
            raise AggregateError("Each aggregateBy must specify exactly one of dataTypeName and dataSourceId")
        if name is not None:
            found = TYPES.get(name) if isinstance(name, str) else None
            if found is None or name in SUMMARY_TYPES:
                raise AggregateError(f"no default datasource found for: {name}")
            suffix = "merged" if found.aggregation == "segments" else "aggregated"
            out.append(Entry(found, f"derived:{found.output}:{GMS}:{suffix}"))
        else:
            found = source_type(source) if isinstance(source, str) else None
            if found is None or not user_has(habits_of(user), found):
                raise AggregateError(f"datasource not found: {source}")
            out.append(Entry(found, source))
    return out


def parse_range(body: dict[str, Any], max_days: int) -> tuple[int, int]:
    """Return [startTimeMillis, endTimeMillis].

    Raises:
        AggregateError: missing or reversed times, or a range longer than `max_days`.
    """
    start, end = _millis(body.get("startTimeMillis")), _millis(body.get("endTimeMillis"))
    if start is None or end is None:
        raise AggregateError("startTimeMillis and endTimeMillis are required")
    if end <= start:
        raise AggregateError("endTimeMillis must be after startTimeMillis")
    if end - start > max_days * 86_400_000:
        raise AggregateError("aggregate duration too large")
    return start, end


def buckets(body: dict[str, Any], user: str, start: int, end: int, now_ms: int, history_ms: int) -> list[Bucket]:
    """Return the answer's buckets.

    Raises:
        AggregateError: several strategies, a malformed one, one the sandbox does not imitate, or
            more than 86,400 buckets.
    """
    chosen = [key for key in _STRATEGIES if key in body]
    if len(chosen) > 1:
        raise AggregateError("Only one bucketing strategy may be specified")
    if not chosen:
        return [Bucket(start, end, "unknown")]
    spec = body[chosen[0]]
    if not isinstance(spec, dict):
        raise AggregateError(f"{chosen[0]} must be an object")
    if chosen[0] == "bucketBySession":
        shortest = _millis(spec.get("minDurationMillis", 0)) or 0
        return [Bucket(s.start, s.end, "session", session_json(s))
                for s in user_sessions(user, start, end, now_ms=now_ms, history_ms=history_ms)
                if s.start >= start and s.end - s.start >= shortest]
    if chosen[0] != "bucketByTime":
        raise AggregateError(f"{chosen[0]} is not imitated by the sandbox")
    if "period" in spec:
        return _periods(spec["period"], start, end)
    size = _millis(spec.get("durationMillis"))
    if size is None or size <= 0:
        raise AggregateError("bucketByTime.durationMillis must be a positive number")
    if -(-(end - start) // size) > MAX_BUCKETS:
        raise AggregateError(f"Cannot bucket into more than {MAX_BUCKETS} intervals")
    return [Bucket(at, min(at + size, end)) for at in range(start, end, size)]


def _periods(period: Any, start: int, end: int) -> list[Bucket]:
    """Return calendar-period buckets (day, week, month) in a zone, the first and last clipped."""
    kind = period.get("type") if isinstance(period, dict) else None
    value = period.get("value", 1) if isinstance(period, dict) else None
    try:
        zone = ZoneInfo(period.get("timeZoneId", "UTC")) if isinstance(period, dict) else None
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        zone = None
    if kind not in ("day", "week", "month") or type(value) is not int or value < 1 or zone is None:
        raise AggregateError("bucketByTime.period needs a type (day, week, month), a value and a timeZoneId")
    local = datetime.fromtimestamp(start / 1000, timezone.utc).astimezone(zone)
    edge = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if kind == "week":
        edge -= timedelta(days=edge.weekday())
    elif kind == "month":
        edge = edge.replace(day=1)
    out: list[Bucket] = []
    while int(edge.timestamp() * 1000) < end:
        following = _advance(edge, kind, value)
        low, high = max(start, int(edge.timestamp() * 1000)), min(end, int(following.timestamp() * 1000))
        if low < high:
            out.append(Bucket(low, high))
        if len(out) > MAX_BUCKETS:
            raise AggregateError(f"Cannot bucket into more than {MAX_BUCKETS} intervals")
        edge = following
    return out


def _advance(edge: datetime, kind: str, value: int) -> datetime:
    if kind == "month":
        months = edge.month - 1 + value
        return edge.replace(year=edge.year + months // 12, month=months % 12 + 1)
    days = value * (7 if kind == "week" else 1)
    naive = edge.replace(tzinfo=None) + timedelta(days=days)
    return naive.replace(tzinfo=edge.tzinfo)


def answer(user: str, entries: list[Entry], found: list[Bucket], *, now_ms: int, history_ms: int,
           map_val: bool, omit_empty: bool, min_first: bool) -> dict[str, Any]:
    """Return the `AggregateResponse` body."""
    out = []
    for bucket in found:
        datasets = []
        for entry in entries:
            points = bucket_points(user, entry.fit_type, bucket.start, bucket.end, now_ms=now_ms,
                                   history_ms=history_ms, map_val=map_val, min_first=min_first)
            dataset: dict[str, Any] = {"dataSourceId": entry.dataset_id}
            if points or not omit_empty:
                dataset["point"] = points
            datasets.append(dataset)
        item: dict[str, Any] = {"startTimeMillis": str(bucket.start), "endTimeMillis": str(bucket.end)}
        if bucket.kind != "time":
            item["type"] = bucket.kind
        if bucket.session is not None:
            item["session"] = bucket.session
        item["dataset"] = datasets
        out.append(item)
    return {"bucket": out}
