"""Time-ordered Google Health records of one user and type, generated lazily chunk by chunk.

A record is a tuple `(key, source, end, value)`: `key` is the epoch second lists order and
filter by (interval or session start, sample time, or 00:00 UTC of a daily record's date),
`end` the interval end (None for samples and daily records). Chunks are UTC days (UTC hours for
a 1 Hz heart rate); each chunk's records are sorted by (key, source).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from devtools.sandbox.wearer.clock import DAY, utc_day
from devtools.sandbox.wearer.days import day_minutes, day_plan, hour_heart_rate, rng
from devtools.sandbox.wearer.profiles import Profile

WATCH, PHONE, MANUAL, SCALE = 0, 1, 2, 3
Record = tuple[int, int, "int | None", Any]


def chunk_seconds(profile: Profile, path_id: str) -> int:
    """Return the chunk length of a type: an hour for 1 Hz heart rate, else a day."""
    return 3600 if path_id == "heart-rate" and profile.heart_rate_step_seconds < 60 else DAY


@functools.lru_cache(maxsize=64)
def chunk_records(profile: Profile, path_id: str, chunk: int, merged: bool) -> tuple[Record, ...]:
    """Return the records of a chunk sorted by (key, source); `merged`: one source per time (reconcile)."""
    make = _MAKERS.get(path_id)
    if make is None:
        return ()
    records = sorted(make(profile, chunk))
    if merged:
        records = _merge(path_id, records)
    return tuple(records)


def records(profile: Profile, path_id: str, lower: int, upper: int, *, descending: bool, merged: bool,
            now: int) -> Iterator[Record]:
    """Yield the records with lower <= key < upper, ended by `now`, in key order (newest first if asked)."""
    size = chunk_seconds(profile, path_id)
    if upper <= lower:
        return
    first, last = lower // size * size, (upper - 1) // size * size
    chunks = range(last, first - size, -size) if descending else range(first, last + size, size)
    for chunk in chunks:
        items = chunk_records(profile, path_id, chunk, merged)
        for record in (reversed(items) if descending else items):
            key, _, end = record[0], record[1], record[2]
            if lower <= key < upper and (end if end is not None else key) <= now:
                yield record


def _merge(path_id: str, items: list[Record]) -> list[Record]:
    """Return what reconcile shows: the watch where it counted, the phone only for other minutes."""
    if path_id == "exercise":
        return [item for item in items if item[1] != PHONE]
    out: list[Record] = []
    for item in items:
        if out and out[-1][0] == item[0]:
            continue
        out.append(item)
    return out


def _minute_series(field: str, phone_field: str | None = None):
    def make(profile: Profile, chunk: int) -> list[Record]:
        minutes = day_minutes(profile, utc_day(chunk))
        values = getattr(minutes, field)
        out = [(chunk + 60 * i, WATCH, chunk + 60 * i + 60, values[i]) for i in range(1440) if minutes.worn[i]]
        if phone_field:
            phone = getattr(minutes, phone_field)
            out += [(chunk + 60 * i, PHONE, chunk + 60 * i + 60, phone[i]) for i in range(1440) if phone[i]]
        return out
    return make


def _zone_minutes(profile: Profile, chunk: int) -> list[Record]:
    minutes = day_minutes(profile, utc_day(chunk))
    return [(chunk + 60 * i, WATCH, chunk + 60 * i + 60, zone) for i, zone in enumerate(minutes.zone) if zone]


def _heart_rate(profile: Profile, chunk: int) -> list[Record]:
    if profile.heart_rate_step_seconds < 60:
        return [(at, WATCH, None, bpm) for at, bpm in hour_heart_rate(profile, chunk)]
    minutes = day_minutes(profile, utc_day(chunk))
    return [(chunk + 60 * i + 7, WATCH, None, bpm) for i, bpm in enumerate(minutes.heart_rate) if bpm]


def _plans(profile: Profile, chunk: int):
    day = utc_day(chunk)
    return [day_plan(profile, day + timedelta(days=offset)) for offset in (-1, 0, 1)]


def _in_chunk(chunk: int, at: int) -> bool:
    return chunk <= at < chunk + DAY


def _variability(profile: Profile, chunk: int) -> list[Record]:
    out = []
    for plan in _plans(profile, chunk):
        sleep = plan.sleep
        r = rng(profile, "hrv", sleep.start)
        for at in range(sleep.start + 300, sleep.end, 300):
            value = round(max(8.0, min(150.0, r.gauss(profile.hrv_ms, 9.0))), 2)
            if _in_chunk(chunk, at):
                out.append((at, WATCH, None, value))
    return out


def _oxygen(profile: Profile, chunk: int) -> list[Record]:
    out = []
    for plan in _plans(profile, chunk):
        r = rng(profile, "spo2", plan.sleep.start)
        for stage in plan.sleep.stages:
            for at in range(stage.start, stage.end, 60):
                value = round(min(100.0, r.gauss(96.2, 1.1)), 1)
                if stage.kind != "AWAKE" and _in_chunk(chunk, at):
                    out.append((at, WATCH, None, value))
    return out


def _breathing(profile: Profile, chunk: int) -> list[Record]:
    return [(plan.sleep.end, WATCH, None, plan.sleep.breaths_per_minute) for plan in _plans(profile, chunk)
            if _in_chunk(chunk, plan.sleep.end)]


def _resting(profile: Profile, chunk: int) -> list[Record]:
    plan = day_plan(profile, utc_day(chunk))
    return [(chunk, WATCH, chunk + DAY, (plan.day, plan.resting_heart_rate))]  # known once the day is over


def _weight(profile: Profile, chunk: int) -> list[Record]:
    source = MANUAL if profile.manual_weight else SCALE
    return [(plan.weigh_in, source, None, plan.weight_grams) for plan in _plans(profile, chunk)
            if plan.weigh_in is not None and _in_chunk(chunk, plan.weigh_in)]


def _body_fat(profile: Profile, chunk: int) -> list[Record]:
    out = []
    for plan in _plans(profile, chunk):
        if plan.weigh_in is None or plan.body_fat_percent is None or not _in_chunk(chunk, plan.weigh_in):
            continue
        if not profile.manual_weight:
            out.append((plan.weigh_in, SCALE, None, plan.body_fat_percent))
        elif profile.phone and plan.day.day <= 3:  # a manual entry now and then
            out.append((plan.weigh_in, MANUAL, None, plan.body_fat_percent))
    return out


def _sleep(profile: Profile, chunk: int) -> list[Record]:
    out = []
    for plan in _plans(profile, chunk):
        for session in (plan.sleep, plan.nap):
            if session is not None and _in_chunk(chunk, session.start):
                out.append((session.start, WATCH, session.end, session))
    return out


def _exercise(profile: Profile, chunk: int) -> list[Record]:
    out = []
    for plan in _plans(profile, chunk):
        workout = plan.workout
        if workout is None or not _in_chunk(chunk, workout.start):
            continue
        out.append((workout.start, WATCH, workout.end, workout))
        if workout.phone_copy:
            out.append((workout.start + 20, PHONE, workout.end - 40, workout))
    return out


_MAKERS = {
    "steps": _minute_series("steps", "phone_steps"),
    "distance": _minute_series("distance_mm", "phone_distance_mm"),
    "active-energy-burned": _minute_series("active_kcal"),
    "active-zone-minutes": _zone_minutes,
    "heart-rate": _heart_rate,
    "heart-rate-variability": _variability,
    "oxygen-saturation": _oxygen,
    "respiratory-rate-sleep-summary": _breathing,
    "daily-resting-heart-rate": _resting,
    "weight": _weight,
    "body-fat": _body_fat,
    "sleep": _sleep,
    "exercise": _exercise,
}
SERVED = tuple(_MAKERS)  # the types with synthetic data; every other known type answers empty
__all__ = ["MANUAL", "PHONE", "SCALE", "SERVED", "WATCH", "chunk_records", "chunk_seconds", "records"]
