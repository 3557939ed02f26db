"""Withings `getactivity` daily rows -> interval points over the user's local day (pure).

Reference: docs/providers/withings.md 4.2. A row is one local calendar `date` in its own IANA
`timezone`; its values become interval points from that local midnight to the next (in UTC, so a
day is 23 or 25 hours across a DST change). Steps, distance and calories are kept when present
(0 is a real zero); heart-rate fields of 0 mean "no sensor" and are left out. A row without a
readable day or zone is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from shared.contract.records import IntervalPoint, Record
from shared.providers.withings.map_values import (
    Series,
    SeriesPoint,
    day_of,
    group,
    local_day,
    mapping,
    number,
    packets,
    positive,
    series,
    zone,
)

STEPS = series("interval.step.count", "count", integer=True)
DISTANCE = series("interval.distance", "meters")
FLOORS = series("interval.floors", "count", integer=True)
ACTIVE_MINUTES = series("interval.active_minutes", "minutes")
ACTIVE_CALORIES = series("interval.active_calories", "kilo_calories")
TOTAL_CALORIES = series("interval.total_calories", "kilo_calories")
HEART_RATE = series("interval.heartrate", "bpm")
HEART_RATE_MIN = series("interval.heartrate.min", "bpm")
HEART_RATE_MAX = series("interval.heartrate.max", "bpm")
# Field -> (series, factor, whether 0 means "not measured").
FIELDS: tuple[tuple[str, Series, float, bool], ...] = (
    ("steps", STEPS, 1.0, False),
    ("distance", DISTANCE, 1.0, False),
    ("elevation", FLOORS, 1.0, False),
    ("active", ACTIVE_MINUTES, 1 / 60, False),
    ("calories", ACTIVE_CALORIES, 1.0, False),
    ("totalcalories", TOTAL_CALORIES, 1.0, False),
    ("hr_average", HEART_RATE, 1.0, True),
    ("hr_min", HEART_RATE_MIN, 1.0, True),
    ("hr_max", HEART_RATE_MAX, 1.0, True),
)
DATA_FIELDS = ("steps,distance,elevation,soft,moderate,intense,active,calories,totalcalories,"
               "hr_average,hr_min,hr_max,hr_zone_0,hr_zone_1,hr_zone_2,hr_zone_3")


def day_span(row: Mapping[str, Any]) -> tuple[datetime, datetime] | None:
    """Return the UTC span of a row's local day, or None when its day or zone is unreadable."""
    day, found = day_of(row.get("date")), zone(row.get("timezone"))
    return None if day is None or found is None else local_day(day, found)


def day_start(row: Mapping[str, Any]) -> datetime | None:
    """Return the UTC instant a row's local day starts (what windows keep it by)."""
    span = day_span(row)
    return span[0] if span else None


def _points(row: Mapping[str, Any]) -> Iterable[tuple[Series, SeriesPoint]]:
    span = day_span(row)
    if span is None:
        return
    for name, found, factor, zero_unknown in FIELDS:
        raw = positive(row.get(name)) if zero_unknown else number(row.get(name))
        if raw is None or raw < 0:
            continue
        value = found.value(raw * factor if factor != 1.0 else raw)
        if value is not None:
            yield found, IntervalPoint(span[0], span[1], value)


def map_activity(rows: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Record]:
    """Return one packet per series of the daily rows' interval points."""
    return list(packets(group(pair for row in rows for pair in _points(mapping(row))), individual_id, source))
