"""Withings `getintradayactivity` samples -> minute steps, distance, calories and floors, heart rate, SpO2 (pure).

Reference: docs/providers/withings.md 4.6. The answer's `series` is an object keyed by the epoch
second (a string) of each sample; a sample holds `deviceid`, `model`, `model_id` and the requested
fields. Activity values (`steps`, `distance` in metres, `calories` active kcal, `elevation` floors)
cover the sample's `duration` seconds and become interval points over [time, time + duration); a
sample without a positive `duration` has no known interval, so its activity values are left out.
`heart_rate` (bpm) and `spo2_auto` (%) are instant readings: points at the sample's time, 0 meaning
not measured. A 0 activity value is a real zero. `stroke` and `pool_lap` have no Personicle stream.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from shared.contract.records import IntervalPoint, Point, Record
from shared.providers.withings.map_activity import ACTIVE_CALORIES, DISTANCE, FLOORS, STEPS
from shared.providers.withings.map_sleep_series import HEART_RATE
from shared.providers.withings.map_values import (
    Series,
    SeriesPoint,
    group,
    instant,
    mapping,
    number,
    packets,
    positive,
    series,
)

OXYGEN_SATURATION = series("oxygen_saturation", "percentage")
INTERVAL_FIELDS: tuple[tuple[str, Series], ...] = (
    ("steps", STEPS), ("distance", DISTANCE), ("calories", ACTIVE_CALORIES), ("elevation", FLOORS))
INSTANT_FIELDS: tuple[tuple[str, Series], ...] = (("heart_rate", HEART_RATE), ("spo2_auto", OXYGEN_SATURATION))
DATA_FIELDS = "steps,distance,calories,elevation,duration,heart_rate,spo2_auto"
AT = "at"  # our key for a sample's epoch second, which Withings gives as the sample's key
MAX_DURATION = 86400  # a sample longer than a call's 24 hours is malformed


def samples(value: Any) -> list[Mapping[str, Any]]:
    """Return the samples of a `series` object in time order, each with its epoch second under `AT`.

    Keys that are not epoch seconds and values that are not objects are left out.
    """
    out = []
    for key, sample in mapping(value).items():
        if isinstance(key, str) and key.isdigit() and isinstance(sample, Mapping):
            out.append({**sample, AT: int(key)})
    return sorted(out, key=lambda row: row[AT])


def sample_start(sample: Mapping[str, Any]) -> datetime | None:
    """Return a sample's instant (what windows keep it by)."""
    return instant(sample.get(AT))


def _duration(sample: Mapping[str, Any]) -> timedelta | None:
    seconds = sample.get("duration")
    if type(seconds) is not int or not 0 < seconds <= MAX_DURATION:
        return None
    return timedelta(seconds=seconds)


def _points(sample: Mapping[str, Any]) -> Iterable[tuple[Series, SeriesPoint]]:
    at = sample_start(sample)
    if at is None:
        return
    for name, found in INSTANT_FIELDS:
        value = found.value(positive(sample.get(name)))
        if value is not None:
            yield found, Point(at, value)
    length = _duration(sample)
    if length is None:
        return
    for name, found in INTERVAL_FIELDS:
        raw = number(sample.get(name))
        value = found.value(raw) if raw is not None and raw >= 0 else None
        if value is not None:
            yield found, IntervalPoint(at, at + length, value)


def map_intraday(samples_: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Record]:
    """Return one time-ordered packet per series of the samples' points."""
    return list(packets(group(pair for sample in samples_ for pair in _points(mapping(sample))),
                        individual_id, source))
