"""Google Fit `dataset:aggregate` answers -> Personicle datastream packets (pure, no I/O).

Shapes: docs/providers/google_fit.md 3.2 (buckets, datasets in request order, empty buckets) and
4.1/4.3 (value layouts and units). `bucket.dataset[i]` belongs to `aggregateBy[i]`: datasets are
matched by position, never by id. Summed types (steps, distance, calories, move minutes, heart
points) and the heart-rate summary become interval points over their bucket, so a re-read of the
same bucket yields the same record. Sparse measurements (weight, height, body fat, speed, blood
pressure, SpO2, temperature, glucose) become one point per bucket at the first contributing
measurement, valued at the bucket's average. Units: height metres -> cm, speed m/s -> km/h, BMR
kcal/day -> kcal over the bucket; everything else already has the dictionary's unit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from shared.contract.records import STREAM_PREFIX, DatastreamPacket, IntervalPoint, Point
from shared.providers.google_fit.map_values import (
    MS_PER_DAY,
    Slot,
    bucket_bounds,
    bucket_datasets,
    dataset_points,
    float32,
    items,
    point_span,
    slots,
    summary,
    to_millis,
)

Combine = Literal["sum", "mean", "max", "min"]
ValueOf = Callable[[list[Slot], float], "int | float | None"]


@dataclass(frozen=True)
class Output:
    """One Personicle datastream fed by one aggregated dataset.

    Args:
        stream_name: full dictionary name.
        unit: the dictionary's unit.
        over_bucket: True: an interval point over the bucket; False: a point at the first measurement.
        value: (value slots, bucket length in days) -> value, None to skip the point.
        combine: how several points of one bucket become one interval value.
    """

    stream_name: str
    unit: str
    over_bucket: bool
    value: ValueOf
    combine: Combine = "sum"


@dataclass(frozen=True)
class AggregateSpec:
    """One `aggregateBy` entry: the input type requested, the type its points carry, the outputs."""

    data_type: str
    output_type: str
    outputs: tuple[Output, ...]

    def request(self) -> dict[str, str]:
        """Return the `aggregateBy` entry (by type: Google merges every source of it)."""
        return {"dataTypeName": self.data_type}


def _count(values: list[Slot], days: float) -> int | None:
    first = values[0] if values else None
    if first is None or first < 0:
        return None
    return int(round(first))


def _amount(values: list[Slot], days: float) -> float | None:
    first = values[0] if values else None
    return None if first is None or first < 0 else float32(float(first))


def _slot(index: int) -> ValueOf:
    def value(values: list[Slot], days: float) -> float | None:
        found = values[index] if len(values) > index else None
        return None if found is None or found < 0 else float32(float(found))
    return value


def _average(scale: float = 1.0, at: int = 0) -> ValueOf:
    def value(values: list[Slot], days: float) -> float | None:
        found = summary(values[at:at + 3])
        return None if found is None or found[0] <= 0 else float32(found[0] * scale)
    return value


def _extreme(index: int) -> ValueOf:
    def value(values: list[Slot], days: float) -> float | None:
        found = summary(values)
        return None if found is None or found[index] <= 0 else float32(found[index])
    return value


def _basal_energy(values: list[Slot], days: float) -> float | None:
    """Return the basal energy of the bucket: the average BMR (kcal per day) times its length in days."""
    found = summary(values)
    return None if found is None or found[0] <= 0 else float32(found[0] * days)


_S = STREAM_PREFIX
STEPS = AggregateSpec("com.google.step_count.delta", "com.google.step_count.delta", (
    Output(_S + "interval.step.count", "count", True, _count),))
DISTANCE = AggregateSpec("com.google.distance.delta", "com.google.distance.delta", (
    Output(_S + "interval.distance", "meters", True, _amount),))
CALORIES = AggregateSpec("com.google.calories.expended", "com.google.calories.expended", (
    Output(_S + "interval.total_calories", "kilo_calories", True, _amount),))
BASAL_METABOLIC_RATE = AggregateSpec("com.google.calories.bmr", "com.google.calories.bmr.summary", (
    Output(_S + "interval.resting_calories", "kilo_calories", True, _basal_energy, "mean"),))
MOVE_MINUTES = AggregateSpec("com.google.active_minutes", "com.google.active_minutes", (
    Output(_S + "interval.active_minutes", "minutes", True, _count),))
# heart_minutes.summary is [heart points, duration in minutes] (docs/providers/google_fit.md 4.3): points
# count double for vigorous minutes, so only the duration is heart intensity minutes.
HEART_POINTS = AggregateSpec("com.google.heart_minutes", "com.google.heart_minutes.summary", (
    Output(_S + "interval.heart_intensity_minutes", "minutes", True, _slot(1)),
    Output(_S + "interval.heart_points", "points", True, _slot(0))))
HEART_RATE = AggregateSpec("com.google.heart_rate.bpm", "com.google.heart_rate.summary", (
    Output(_S + "interval.heartrate", "bpm", True, _average(), "mean"),
    Output(_S + "interval.heartrate.max", "bpm", True, _extreme(1), "max"),
    Output(_S + "interval.heartrate.min", "bpm", True, _extreme(2), "min")))
WEIGHT = AggregateSpec("com.google.weight", "com.google.weight.summary", (
    Output(_S + "weight", "kilogram", False, _average()),))
HEIGHT = AggregateSpec("com.google.height", "com.google.height.summary", (
    Output(_S + "height", "cm", False, _average(100.0)),))  # metres -> cm
BODY_FAT = AggregateSpec("com.google.body.fat.percentage", "com.google.body.fat.percentage.summary", (
    Output(_S + "body_fat", "percentage", False, _average()),))
SPEED = AggregateSpec("com.google.speed", "com.google.speed.summary", (
    Output(_S + "speed", "kmph", False, _average(3.6)),))  # m/s -> km/h
BLOOD_PRESSURE = AggregateSpec("com.google.blood_pressure", "com.google.blood_pressure.summary", (
    Output(_S + "blood_pressure.systolic", "mmHg", False, _average(at=0)),
    Output(_S + "blood_pressure.diastolic", "mmHg", False, _average(at=3))))
OXYGEN_SATURATION = AggregateSpec("com.google.oxygen_saturation", "com.google.oxygen_saturation.summary", (
    Output(_S + "oxygen_saturation", "percentage", False, _average()),))
BODY_TEMPERATURE = AggregateSpec("com.google.body.temperature", "com.google.body.temperature.summary", (
    Output(_S + "body_temperature", "Celsius", False, _average()),))
BLOOD_GLUCOSE = AggregateSpec("com.google.blood_glucose", "com.google.blood_glucose.summary", (
    Output(_S + "blood_glucose", "mmol/L", False, _average()),))

ALL_SPECS: tuple[AggregateSpec, ...] = (
    STEPS, DISTANCE, CALORIES, BASAL_METABOLIC_RATE, MOVE_MINUTES, HEART_POINTS, HEART_RATE, WEIGHT, HEIGHT,
    BODY_FAT, SPEED, BLOOD_PRESSURE, OXYGEN_SATURATION, BODY_TEMPERATURE, BLOOD_GLUCOSE)


def _combine(how: Combine, values: list[int | float]) -> int | float:
    if how == "sum":
        total = sum(values)
        return total if all(type(v) is int for v in values) else float32(float(total))
    if how == "max":
        return max(values)
    if how == "min":
        return min(values)
    return float32(sum(values) / len(values))


def _matches(point: Mapping[str, Any], spec: AggregateSpec) -> bool:
    """Tell whether a point is of the spec's output type (a point without a type name is accepted)."""
    name = point.get("dataTypeName")
    return not isinstance(name, str) or not name or name == spec.output_type


def _bucket_points(spec: AggregateSpec, dataset: Any, start: datetime, end: datetime,
                   found: dict[str, list[Point | IntervalPoint]]) -> None:
    days = (to_millis(end) - to_millis(start)) / MS_PER_DAY
    per_bucket: dict[str, list[int | float]] = {}
    for point in dataset_points(dataset):
        if not _matches(point, spec):
            continue
        values = slots(point)
        span = point_span(point)
        for output in spec.outputs:
            value = output.value(values, days)
            if value is None:
                continue
            if output.over_bucket:
                per_bucket.setdefault(output.stream_name, []).append(value)
            else:
                found.setdefault(output.stream_name, []).append(Point(span[0] if span else start, value))
    for output in spec.outputs:
        collected = per_bucket.get(output.stream_name)
        if collected:
            found.setdefault(output.stream_name, []).append(
                IntervalPoint(start, end, _combine(output.combine, collected)))


def _time(point: Point | IntervalPoint) -> datetime:
    return point.timestamp if isinstance(point, Point) else point.start_time


def map_aggregate(body: Any, specs: Iterable[AggregateSpec], individual_id: str,
                  source: str) -> list[DatastreamPacket]:
    """Return one packet per output stream with data, for an aggregate answer to `specs` (in order).

    Buckets with unreadable bounds, empty datasets (`point: []` or no `point` key), points of another
    type and values that are missing or out of range are skipped.
    """
    ordered = tuple(specs)
    found: dict[str, list[Point | IntervalPoint]] = {}
    for bucket in items(body, "bucket"):
        bounds = bucket_bounds(bucket)
        if bounds is None:
            continue
        datasets = bucket_datasets(bucket)
        for spec, dataset in zip(ordered, datasets):
            _bucket_points(spec, dataset, bounds[0], bounds[1], found)
    packets = []
    for spec in ordered:
        for output in spec.outputs:
            points = found.pop(output.stream_name, None)
            if points:
                points.sort(key=_time)
                packets.append(DatastreamPacket(output.stream_name, individual_id, source, output.unit, None,
                                                tuple(points)))
    return packets
