"""rollUp (physical windows) and dailyRollUp (local days) over the synthetic wear minutes.

Reference: docs/providers/fitbit.md 3.7 and 3.8. Both aggregate the reconciled data and
leave out time the wearable was not worn: a window without worn minutes is absent, a worn window
without activity is a true zero.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from devtools.sandbox.providers.fitbit.records import records
from devtools.sandbox.providers.fitbit.wire import civil, rfc3339
from devtools.sandbox.wearer.clock import utc_day
from devtools.sandbox.wearer.days import day_minutes
from devtools.sandbox.wearer.profiles import Profile

MINUTE_TYPES = ("steps", "distance", "active-energy-burned", "total-calories", "heart-rate", "active-zone-minutes")
SPARSE_TYPES = {"weight": ("weightGramsAvg", "weight"), "body-fat": ("bodyFatPercentageAvg", "bodyFat")}
_KEYS = {"steps": "steps", "distance": "distance", "active-energy-burned": "activeEnergyBurned",
         "total-calories": "totalCalories", "heart-rate": "heartRate", "active-zone-minutes": "activeZoneMinutes"}
_ZONE_FIELDS = ("", "sumInFatBurnHeartZone", "sumInCardioHeartZone", "sumInPeakHeartZone")
_SLACK = 14 * 3600


class _Bucket:
    __slots__ = ("worn", "total", "low", "high", "zones")

    def __init__(self) -> None:
        self.worn = 0
        self.total = 0.0
        self.low = float("inf")
        self.high = 0.0
        self.zones = [0, 0, 0, 0]


def _minutes(profile: Profile, start: int, end: int) -> Iterator[tuple[int, Any, int]]:
    """Yield (epoch, day minutes, index) of every worn minute starting in [start, end)."""
    first = -(-start // 60) * 60
    for at in range(first, end, 60):
        minutes = day_minutes(profile, utc_day(at))
        index = (at - minutes.start) // 60
        if minutes.worn[index]:
            yield at, minutes, index


def _add(bucket: _Bucket, path_id: str, profile: Profile, minutes: Any, index: int) -> None:
    bucket.worn += 1
    if path_id == "steps":
        bucket.total += minutes.steps[index]
    elif path_id == "distance":
        bucket.total += minutes.distance_mm[index]
    elif path_id == "active-energy-burned":
        bucket.total += minutes.active_kcal[index]
    elif path_id == "total-calories":
        bucket.total += minutes.active_kcal[index] + profile.bmr_kcal_per_minute
    elif path_id == "heart-rate":
        bpm = minutes.heart_rate[index]
        bucket.total += bpm
        bucket.low, bucket.high = min(bucket.low, bpm), max(bucket.high, bpm)
    else:
        zone = minutes.zone[index]
        bucket.zones[zone] += 1 if zone == 1 else 2


def _value(path_id: str, bucket: _Bucket, zero_as_string: bool) -> dict[str, Any]:
    if path_id == "heart-rate":
        return {"beatsPerMinuteMin": float(bucket.low), "beatsPerMinuteAvg": round(bucket.total / bucket.worn, 3),
                "beatsPerMinuteMax": float(bucket.high)}
    if path_id == "active-zone-minutes":
        return {_ZONE_FIELDS[z]: str(bucket.zones[z]) for z in (1, 2, 3) if bucket.zones[z] or zero_as_string}
    if path_id in ("active-energy-burned", "total-calories"):
        return {"kcalSum": round(bucket.total, 3)} if bucket.total or zero_as_string else {}
    field = "countSum" if path_id == "steps" else "millimetersSum"
    return {field: str(int(bucket.total))} if bucket.total or zero_as_string else {}


def roll_up(profile: Profile, path_id: str, start: int, end: int, window: int, now: int,
            zero_as_string: bool) -> list[dict[str, Any]]:
    """Return the rollUp windows of [start, end) (the last truncated at `end`) that hold data."""
    buckets: dict[int, _Bucket] = {}
    if path_id in SPARSE_TYPES:
        field, _ = SPARSE_TYPES[path_id]
        for key, _, _, value in records(profile, path_id, start, end, descending=False, merged=True, now=now):
            bucket = buckets.setdefault((key - start) // window, _Bucket())
            bucket.worn += 1
            bucket.total += value
    elif path_id in MINUTE_TYPES:
        for at, minutes, index in _minutes(profile, start, min(end, now)):
            _add(buckets.setdefault((at - start) // window, _Bucket()), path_id, profile, minutes, index)
    out = []
    for number in sorted(buckets):
        bucket = buckets[number]
        first = start + number * window
        item: dict[str, Any] = {"startTime": rfc3339(first), "endTime": rfc3339(min(end, first + window))}
        if path_id in SPARSE_TYPES:
            field, key = SPARSE_TYPES[path_id]
            item[key] = {field: round(bucket.total / bucket.worn, 3)}
        else:
            item[_KEYS[path_id]] = _value(path_id, bucket, zero_as_string)
        out.append(item)
    return out


def daily_roll_up(profile: Profile, path_id: str, first: date, stop: date, window_days: int, now: int,
                  zero_as_string: bool) -> list[dict[str, Any]]:
    """Return dailyRollUp windows of `window_days` local days from `first` up to `stop` (exclusive)."""
    buckets: dict[int, _Bucket] = {}
    low = (first.toordinal() - 719163) * 86400 - _SLACK
    high = min((stop.toordinal() - 719163) * 86400 + _SLACK, now)
    if path_id in MINUTE_TYPES:
        for at, minutes, index in _minutes(profile, low, high):
            local = utc_day(at + profile.offset_seconds(at))
            if first <= local < stop:
                number = (local - first).days // window_days
                _add(buckets.setdefault(number, _Bucket()), path_id, profile, minutes, index)
    out = []
    for number in sorted(buckets):
        begin = first + timedelta(days=number * window_days)
        finish = min(stop, begin + timedelta(days=window_days))
        out.append({"civilStartTime": civil(_midnight(begin), 0), "civilEndTime": civil(_midnight(finish), 0),
                    _KEYS[path_id]: _value(path_id, buckets[number], zero_as_string)})
    return out


def _midnight(day: date) -> int:
    return (day.toordinal() - 719163) * 86400
