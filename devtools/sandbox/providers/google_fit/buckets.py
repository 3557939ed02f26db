"""The aggregated points of one data type in one bucket [start, end) of the Google Fit imitation.

Value layouts: docs/providers/google_fit.md 4.3. Sums keep their input type (steps, distance,
calories, move minutes); samples become `[average, max, min]` plus the first reading's enum
fields; heart points `[intensity, minutes]`; activity segments one `[activity, ms, segments]` point
per activity; sleep segments are returned as they are. Points span the data inside the bucket.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from devtools.sandbox.providers.google_fit.days import MINUTE_MS, f32
from devtools.sandbox.providers.google_fit.minutes import Minutes, day_minutes, day_start, utc_day
from devtools.sandbox.providers.google_fit.points import NS, points_between
from devtools.sandbox.providers.google_fit.types import FitType

Slot = int | float | None
_SUMS = {"com.google.step_count.delta": "steps", "com.google.distance.delta": "distance_dm",
         "com.google.active_minutes": "move"}


def _slices(user: str, start: int, end: int) -> Iterator[tuple[Minutes, int, int]]:
    """Yield (day minutes, first index, stop index) of the minutes starting in [start, end)."""
    day = utc_day(start)
    while day_start(day) < end:
        minutes = day_minutes(user, day)
        low = max(0, -(-(start - minutes.start) // MINUTE_MS))
        high = min(1440, -(-(end - minutes.start) // MINUTE_MS))
        if low < high:
            yield minutes, low, high
        day += timedelta(days=1)


def _value(value: Slot, map_val: bool) -> dict[str, Any]:
    out: dict[str, Any] = {} if value is None else {"intVal": value} if type(value) is int else {"fpVal": value}
    if map_val:
        out["mapVal"] = []
    return out


def _point(fit_type: FitType, first_ms: int, last_ms: int, values: list[Slot], map_val: bool,
           type_name: str | None = None) -> dict[str, Any]:
    return {"startTimeNanos": str(first_ms * NS), "endTimeNanos": str(last_ms * NS),
            "dataTypeName": type_name or fit_type.output, "originDataSourceId": "",
            "value": [_value(value, map_val) for value in values]}


def _stats(values: list[float], min_first: bool) -> list[Slot]:
    average = sum(values) / len(values)
    return [min(values), average, max(values)] if min_first else [average, max(values), min(values)]


def _minute_sum(user: str, fit_type: FitType, start: int, end: int, map_val: bool) -> list[dict[str, Any]]:
    name = fit_type.name
    total: float = 0
    first = last = None
    for minutes, low, high in _slices(user, start, end):
        if name == "com.google.calories.expended":
            total += minutes.bmr_kcal / 1440.0 * (high - low) + sum(minutes.active_mkcal[low:high]) / 1000.0
            found = [low, high - 1]
        else:
            series = getattr(minutes, _SUMS[name])[low:high]
            total += sum(series)
            found = [low + i for i, v in enumerate(series) if v]
        if found:
            first = first if first is not None else minutes.start + found[0] * MINUTE_MS
            last = minutes.start + (found[-1] + 1) * MINUTE_MS
    if first is None or last is None:
        return []
    if name == "com.google.distance.delta":
        total = f32(total / 10.0)
    elif name == "com.google.calories.expended":
        total = f32(total)
    return [_point(fit_type, first, last, [int(total) if fit_type.fields[0][1] == "integer" else total], map_val)]


def _minute_samples(user: str, fit_type: FitType, start: int, end: int) -> tuple[list[float], int, int] | None:
    """Return the per-minute samples (heart rate, speed, heart points) in the bucket and their span."""
    values: list[float] = []
    first = last = 0
    for minutes, low, high in _slices(user, start, end):
        if fit_type.name == "com.google.heart_rate.bpm":
            series, offset, scale = minutes.heart, 0, 1.0
        elif fit_type.name == "com.google.speed":
            series, offset, scale = minutes.distance_dm, MINUTE_MS // 2, 1 / 600.0
        else:
            series, offset, scale = minutes.heart_points, 0, 1.0
        for index in range(low, high):
            if series[index]:
                at = minutes.start + index * MINUTE_MS + offset
                first = first or at
                last = at
                values.append(f32(series[index] * scale))
    return (values, first, last) if values else None


def _activity(user: str, fit_type: FitType, start: int, end: int, map_val: bool) -> list[dict[str, Any]]:
    totals: dict[int, list[int]] = {}  # activity -> [ms, segments, first ms, last ms]
    previous, previous_at = None, None
    for minutes, low, high in _slices(user, start, end):
        for index in range(low, high):
            code, at = minutes.activity[index], minutes.start + index * MINUTE_MS
            entry = totals.setdefault(code, [0, 0, at, at])
            entry[0] += MINUTE_MS
            entry[3] = at + MINUTE_MS
            if code != previous or previous_at != at - MINUTE_MS:
                entry[1] += 1
            previous, previous_at = code, at
    return [_point(fit_type, entry[2], entry[3], [code, entry[0], entry[1]], map_val)
            for code, entry in sorted(totals.items())]


def _summary(fit_type: FitType, readings: list[tuple[int, tuple]], min_first: bool) -> list[Slot]:
    """Return a sample summary: statistics of the float fields, the first reading's enum fields."""
    out: list[Slot] = []
    for index, (_, kind, _optional) in enumerate(fit_type.fields):
        if kind == "floatPoint":
            out.extend(_stats([float(values[index]) for _, values in readings], min_first))
        else:
            out.append(readings[0][1][index])
    return out


def bucket_points(user: str, fit_type: FitType, start: int, end: int, *, now_ms: int, history_ms: int,
                  map_val: bool, min_first: bool) -> list[dict[str, Any]]:
    """Return the aggregated points of `fit_type` for the bucket [start, end) (epoch ms).

    Only data of [history_ms, now_ms) exists; a sleep segment exists once it has ended.
    """
    start, end = max(start, history_ms), min(end, now_ms)
    if start >= end:
        return []
    aggregation, name = fit_type.aggregation, fit_type.name
    if name in _SUMS or name == "com.google.calories.expended":
        return _minute_sum(user, fit_type, start, end, map_val)
    if aggregation == "activity":
        return _activity(user, fit_type, start, end, map_val)
    if aggregation == "segments":
        return [_point(fit_type, s // NS, e // NS, list(values), map_val)
                for s, e, values in points_between(user, fit_type, start, end) if e // NS <= now_ms]
    if name in ("com.google.heart_rate.bpm", "com.google.speed", "com.google.heart_minutes"):
        found = _minute_samples(user, fit_type, start, end)
        if found is None:
            return []
        values, first, last = found
        if aggregation == "heart_points":
            return [_point(fit_type, first, last + MINUTE_MS, [f32(sum(values)), len(values)], map_val)]
        return [_point(fit_type, first, last, _stats(values, min_first), map_val)]
    readings = [(s // NS, values) for s, _, values in points_between(user, fit_type, start, end)]
    if not readings:
        return []
    return [_point(fit_type, readings[0][0], readings[-1][0], _summary(fit_type, readings, min_first), map_val)]
