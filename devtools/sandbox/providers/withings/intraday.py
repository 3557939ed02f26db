"""The shared wearer as Withings `getintradayactivity` samples (docs/providers/withings.md 4.6, 9).

`series` is an object keyed by each sample's epoch second (a string). The watch gives a sample for
every minute with steps (`steps`, `distance` in metres, `calories` active kcal, `duration` 60, and
`elevation` on the minute a local day's steps pass another 2,000, as the daily rows count floors),
a heart rate every 10 minutes of wear, and an automatic SpO2 reading on the hour while asleep. A
minute with several values is one sample. Only the requested `data_fields` are given (all of them
when none are named); every sample names its device.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from devtools.sandbox.providers.withings.render import STEPS_PER_FLOOR, WATCH_DEVICE, WATCH_MODEL, local_minutes
from devtools.sandbox.wearer.days import rng
from devtools.sandbox.wearer.profiles import UTC, Profile

FIELDS = ("steps", "elevation", "calories", "distance", "stroke", "pool_lap", "duration", "heart_rate", "spo2_auto")
DEVICE = {"deviceid": WATCH_DEVICE, "model": "ScanWatch 2", "model_id": WATCH_MODEL}
HEART_RATE_EVERY = 600
SPO2_EVERY = 3600


def _local_days(first: int, last: int) -> Iterator[date]:
    """Return the local days that can hold [first, last] whatever the zone (a day either side)."""
    day = datetime.fromtimestamp(first, UTC).date() - timedelta(days=1)
    while day <= datetime.fromtimestamp(last, UTC).date() + timedelta(days=1):
        yield day
        day += timedelta(days=1)


def _minute_values(profile: Profile, day: date, first: int, last: int) -> Iterator[tuple[int, dict[str, Any]]]:
    """Return (epoch second, values) of the minutes of a local day that lie in [first, last]."""
    _, minutes = local_minutes(profile, day)
    walked = 0
    for minute in minutes:
        floors = (walked + minute.steps) // STEPS_PER_FLOOR - walked // STEPS_PER_FLOOR
        walked += minute.steps
        if not first <= minute.at <= last or not minute.heart_rate:
            continue
        values: dict[str, Any] = {}
        if minute.steps:
            values.update(steps=minute.steps, distance=round(minute.distance_mm / 1000, 2),
                          calories=round(minute.active_kcal, 2), duration=60)
            if floors:
                values["elevation"] = floors
        if minute.at % HEART_RATE_EVERY == 0:
            values["heart_rate"] = minute.heart_rate
        if minute.asleep and minute.at % SPO2_EVERY == 0:
            values["spo2_auto"] = 94 + rng(profile, "withings-spo2", minute.at).randint(0, 5)
        if values:
            yield minute.at, values


def intraday_series(profile: Profile, first: int, last: int, fields: frozenset[str] | None) -> dict[str, Any]:
    """Return the `series` object of the samples in [first, last], holding only `fields` (None: all)."""
    series: dict[str, Any] = {}
    for day in _local_days(first, last):
        for at, values in _minute_values(profile, day, first, last):
            wanted = {k: v for k, v in values.items() if fields is None or k in fields}
            if wanted:
                series[str(at)] = {**DEVICE, **wanted}
    return dict(sorted(series.items(), key=lambda item: int(item[0])))
