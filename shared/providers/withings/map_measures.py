"""Withings `getmeas` measure groups -> body, blood-pressure, SpO2 and temperature points (pure).

Reference: docs/providers/withings.md 4.1. A group is one measuring event at its `date`; each
measure's value is `value x 10^unit` in SI units (height in metres becomes cm). Only real measures
count (`category` 1; 2 are the user's goals); groups a scale could not attribute to the user
(`attrib` 1) are left out, since they may be another person's. Segmental measures (a `position`
other than 7, the whole body) are left out. Identical measures repeated in a group, and the same
value at the same instant in another group, are kept once. Unknown types are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from shared.contract.records import Point, Record
from shared.providers.withings.map_values import (
    Series,
    SeriesPoint,
    group,
    instant,
    mapping,
    measure_value,
    objects,
    packets,
    series,
)

REAL_MEASURES = 1
AMBIGUOUS = 1
WHOLE_BODY = 7
# Measure type -> (series, factor from the SI value to the series' unit).
TYPES: dict[int, tuple[Series, float]] = {
    1: (series("weight", "kilogram"), 1.0),
    4: (series("height", "cm"), 100.0),
    5: (series("fat_free_mass", "kilogram"), 1.0),
    6: (series("body_fat", "percentage"), 1.0),
    8: (series("fat_mass", "kilogram"), 1.0),
    9: (series("blood_pressure.diastolic", "mmHg"), 1.0),
    10: (series("blood_pressure.systolic", "mmHg"), 1.0),
    11: (series("heartrate", "bpm", integer=True), 1.0),
    12: (series("body_temperature", "Celsius"), 1.0),
    54: (series("oxygen_saturation", "percentage"), 1.0),
    71: (series("body_temperature", "Celsius"), 1.0),
    73: (series("skin_temperature", "Celsius"), 1.0),
    76: (series("muscle_mass", "kilogram"), 1.0),
    77: (series("body_water", "kilogram"), 1.0),
    88: (series("bone_mass", "kilogram"), 1.0),
    91: (series("pulse_wave_velocity", "m/s"), 1.0),
    123: (series("vo2_max", "ml/kg/min"), 1.0),
    155: (series("vascular_age", "years", integer=True), 1.0),
}
MEASURE_TYPES = tuple(TYPES)


def group_time(group_: Mapping[str, Any]) -> datetime | None:
    """Return the instant a measure group was measured at (what windows keep it by)."""
    return instant(group_.get("date"))


def measure_groups(body: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Return the `measuregrps` objects of a `getmeas` body."""
    return objects(body.get("measuregrps"))


def _points(group_: Mapping[str, Any]) -> Iterable[tuple[Series, SeriesPoint]]:
    at = group_time(group_)
    if at is None or group_.get("category", REAL_MEASURES) != REAL_MEASURES or group_.get("attrib") == AMBIGUOUS:
        return
    for measure in objects(group_.get("measures")):
        known = TYPES.get(measure.get("type"))  # type: ignore[arg-type]
        position = measure.get("position")
        if known is None or (position is not None and position != WHOLE_BODY):
            continue
        found, factor = known
        value = measure_value(measure.get("value"), measure.get("unit"))
        if value is None:
            continue
        scaled = found.value(round(value * factor, 9) if factor != 1.0 else value)
        if scaled is not None:
            yield found, Point(at, scaled)


def map_measures(groups: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Record]:
    """Return one packet per series of the measure groups' points (duplicates kept once)."""
    seen: set[tuple[str, datetime, float]] = set()
    kept = []
    for group_ in groups:
        for found, point in _points(mapping(group_)):
            key = (found.name, point.timestamp, point.value)  # type: ignore[union-attr]
            if key not in seen:
                seen.add(key)
                kept.append((found, point))
    return list(packets(group(kept), individual_id, source))
