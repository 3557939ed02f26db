"""Google Health API data points -> Personicle datastream points and packets (pure, no I/O).

Value shapes and units: docs/providers/fitbit.md sections 3.6-3.10 and 4.2. Interval types
(steps, distance, energy, zone minutes) become interval points over their physical interval;
sample types become instant points at `sampleTime.physicalTime`; daily types (only a local date)
are stamped by `daily_timestamp`; rollUp windows become interval points over their window.
Lengths arrive in millimetres and mass in grams; the dictionary wants metres and kilograms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from shared.clock import UTC
from shared.contract.records import STREAM_PREFIX, DatastreamPacket, IntervalPoint, Point
from shared.providers.fitbit.map_values import civil_date, daily_timestamp, double, int64, timestamp

_fromisoformat = datetime.fromisoformat
SeriesKind = Literal["interval", "sample", "daily", "rollup"]
Value = Callable[[Mapping[str, Any]], "int | float | None"]
SeriesPoint = Point | IntervalPoint


@dataclass(frozen=True)
class SeriesSpec:
    """How one Google Health value key becomes one Personicle datastream."""

    json_key: str
    kind: SeriesKind
    stream_name: str
    unit: str
    value: Value


def _positive(value: int | float | None) -> int | float | None:
    return value if value is not None and value > 0 else None


def _mm_to_m(value: int | None) -> float | None:
    return None if value is None else value / 1000.0


def _grams_to_kg(value: float | None) -> float | None:
    return None if value is None or value <= 0 else value / 1000.0


def _breaths(value: Mapping[str, Any]) -> float | None:
    stats = value.get("fullSleepStats")
    return _positive(double(stats.get("breathsPerMinute"))) if isinstance(stats, Mapping) else None


_S = STREAM_PREFIX
STEPS = SeriesSpec("steps", "interval", _S + "interval.step.count", "count",
                   lambda v: int64(v.get("count"), 0))  # a worn minute without steps omits count (true zero)
DISTANCE = SeriesSpec("distance", "interval", _S + "interval.distance", "meters",
                      lambda v: _mm_to_m(int64(v.get("millimeters"), 0)))
ACTIVE_ENERGY = SeriesSpec("activeEnergyBurned", "interval", _S + "interval.active_calories", "kilo_calories",
                           lambda v: double(v.get("kcal"), 0.0))
ACTIVE_ZONE_MINUTES = SeriesSpec("activeZoneMinutes", "interval", _S + "interval.active_zone_minutes", "minutes",
                                 lambda v: int64(v.get("activeZoneMinutes"), 0))
HEART_RATE = SeriesSpec("heartRate", "sample", _S + "heartrate", "bpm",
                        lambda v: _positive(int64(v.get("beatsPerMinute"))))
RESTING_HEART_RATE = SeriesSpec("dailyRestingHeartRate", "daily", _S + "resting_heartrate", "bpm",
                                lambda v: _positive(int64(v.get("beatsPerMinute"))))
HEART_RATE_VARIABILITY = SeriesSpec(
    "heartRateVariability", "sample", _S + "heart_rate_variability", "ms",
    lambda v: _positive(double(v.get("rootMeanSquareOfSuccessiveDifferencesMilliseconds"))))
OXYGEN_SATURATION = SeriesSpec("oxygenSaturation", "sample", _S + "oxygen_saturation", "percentage",
                               lambda v: _positive(double(v.get("percentage"))))
RESPIRATORY_RATE = SeriesSpec("respiratoryRateSleepSummary", "sample", _S + "respiratory_rate",
                              "breaths_per_minute", _breaths)
WEIGHT = SeriesSpec("weight", "sample", _S + "weight", "kilogram", lambda v: _grams_to_kg(double(v.get("weightGrams"))))
BODY_FAT = SeriesSpec("bodyFat", "sample", _S + "body_fat", "percentage",
                      lambda v: _positive(double(v.get("percentage"))))
TOTAL_CALORIES = SeriesSpec("totalCalories", "rollup", _S + "interval.total_calories", "kilo_calories",
                            lambda v: double(v.get("kcalSum"), 0.0))

ALL_SERIES: tuple[SeriesSpec, ...] = (STEPS, DISTANCE, ACTIVE_ENERGY, ACTIVE_ZONE_MINUTES, HEART_RATE,
                                      RESTING_HEART_RATE, HEART_RATE_VARIABILITY, OXYGEN_SATURATION,
                                      RESPIRATORY_RATE, WEIGHT, BODY_FAT, TOTAL_CALORIES)


def series_points(spec: SeriesSpec, items: Iterable[Mapping[str, Any]]) -> list[SeriesPoint]:
    """Return the points of `items` (data points, or rollup windows) in the order given.

    Items without the spec's value key, with unreadable times, or whose value is missing where no
    default applies (e.g. a heart rate without beats, a "NaN" variability) are skipped.
    """
    if spec.kind == "interval":
        return _interval_points(spec, items)
    if spec.kind == "sample":
        return _sample_points(spec, items)
    if spec.kind == "daily":
        return _daily_points(spec, items)
    return _rollup_points(spec, items)


def _instant(value: Any) -> datetime | None:
    """Return a UTC timestamp: the fast path for `...Z` strings, `timestamp` for anything else."""
    if type(value) is str:
        try:
            parsed = _fromisoformat(value)
        except ValueError:
            return timestamp(value)
        if parsed.tzinfo is UTC:
            return parsed
    return timestamp(value)


def _interval_points(spec: SeriesSpec, items: Iterable[Mapping[str, Any]]) -> list[SeriesPoint]:
    key, value_of = spec.json_key, spec.value
    out: list[SeriesPoint] = []
    append = out.append
    for item in items:
        body = item.get(key)
        if type(body) is not dict:
            continue
        interval = body.get("interval")
        if type(interval) is not dict:
            continue
        start, end = _instant(interval.get("startTime")), _instant(interval.get("endTime"))
        if start is None or end is None or end < start:
            continue
        value = value_of(body)
        if value is not None:
            append(IntervalPoint(start, end, value))
    return out


def _sample_points(spec: SeriesSpec, items: Iterable[Mapping[str, Any]]) -> list[SeriesPoint]:
    key, value_of = spec.json_key, spec.value
    out: list[SeriesPoint] = []
    append = out.append
    for item in items:
        body = item.get(key)
        if type(body) is not dict:
            continue
        sample = body.get("sampleTime")
        at = _instant(sample.get("physicalTime")) if type(sample) is dict else None
        if at is None:
            continue
        value = value_of(body)
        if value is not None:
            append(Point(at, value))
    return out


def _daily_points(spec: SeriesSpec, items: Iterable[Mapping[str, Any]]) -> list[SeriesPoint]:
    out: list[SeriesPoint] = []
    for item in items:
        body = item.get(spec.json_key)
        if not isinstance(body, Mapping):
            continue
        day = civil_date(body.get("date"))
        value = spec.value(body) if day is not None else None
        if day is not None and value is not None:
            out.append(Point(daily_timestamp(day), value))
    return out


def _rollup_points(spec: SeriesSpec, items: Iterable[Mapping[str, Any]]) -> list[SeriesPoint]:
    out: list[SeriesPoint] = []
    for item in items:
        start, end = timestamp(item.get("startTime")), timestamp(item.get("endTime"))
        body = item.get(spec.json_key)
        if start is None or end is None or end < start or not isinstance(body, Mapping):
            continue  # a window without data is absent or carries no value key
        value = spec.value(body)
        if value is not None:
            out.append(IntervalPoint(start, end, value))
    return out


def point_time(point: SeriesPoint) -> datetime:
    """Return the time a point is ordered and windowed by (its instant, or its interval start)."""
    return point.timestamp if type(point) is Point else point.start_time  # type: ignore[union-attr]


def in_window(points: Iterable[SeriesPoint], start: datetime, end: datetime) -> list[SeriesPoint]:
    """Return the points whose time lies in [start, end)."""
    return [point for point in points if start <= point_time(point) < end]


def packet(spec: SeriesSpec, individual_id: str, source: str,
           points: Sequence[SeriesPoint]) -> DatastreamPacket | None:
    """Return one packet of `points` sorted by time (None when there are none)."""
    if not points:
        return None
    ordered = tuple(sorted(points, key=point_time))
    return DatastreamPacket(spec.stream_name, individual_id, source, spec.unit, None, ordered)


def map_series(spec: SeriesSpec, body: Any, individual_id: str, source: str) -> list[DatastreamPacket]:
    """Map a whole list/reconcile/rollUp response body to at most one packet."""
    key = "rollupDataPoints" if spec.kind == "rollup" else "dataPoints"
    items = body.get(key) if isinstance(body, Mapping) else None
    points = series_points(spec, [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else [])
    found = packet(spec, individual_id, source, points)
    return [found] if found is not None else []
