"""One person-day's plan (night's sleep, nap, workout, weigh-in) and one UTC day's wear minutes.

A person-day is a local calendar date in the zone the user is in at noon UTC of that date; its
sleep starts that evening and ends the next morning (so it crosses midnight, and twice a year a
DST change). A UTC day's minutes are painted from the plans of the neighbouring person-days.
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from devtools.sandbox.wearer.clock import day_start, local_epoch, person_zone, utc_day
from devtools.sandbox.wearer.profiles import Profile
from devtools.sandbox.wearer.sleep import Stage, night_window, staged_night
from devtools.sandbox.wearer.workouts import Workout, plan_workout

OFF, AWAKE, SLEEP, WORKOUT = 0, 1, 2, 3
ZONE_NAMES = ("", "FAT_BURN", "CARDIO", "PEAK")
_STAGE_HEART = {"DEEP": -3, "LIGHT": 0, "REM": 4, "AWAKE": 8, "ASLEEP": 0, "RESTLESS": 3}


@dataclass(frozen=True)
class SleepSession:
    """A sleep: stages (contiguous, covering it), short awakenings, nap or main sleep."""

    start: int
    end: int
    stages: tuple[Stage, ...]
    short_awakenings: tuple[Stage, ...]
    classic: bool
    nap: bool
    breaths_per_minute: float


@dataclass(frozen=True)
class DayPlan:
    """What a person-day holds."""

    day: date
    zone: str
    sleep: SleepSession
    nap: SleepSession | None
    workout: Workout | None
    weigh_in: int | None
    weight_grams: float
    body_fat_percent: float | None
    resting_heart_rate: int
    charging: tuple[int, int] | None


def rng(profile: Profile, *parts: object) -> random.Random:
    """Return a generator seeded by the user and `parts` (stable across processes)."""
    return random.Random(f"{profile.seed}:" + ":".join(str(part) for part in parts))


@functools.lru_cache(maxsize=8192)
def day_plan(profile: Profile, day: date) -> DayPlan:
    """Return the plan of a person-day (cached)."""
    zone = person_zone(profile, day)
    r = rng(profile, "plan", day.toordinal())
    sleep = _night(profile, r, zone, day)
    nap = _nap(r, zone, day) if r.random() < 0.1 else None
    workout = plan_workout(profile, r, zone, day) if r.random() < profile.workout_chance else None
    season = math.sin(2 * math.pi * day.timetuple().tm_yday / 365.25)
    weigh_in = local_epoch(zone, day, 7 * 60 + r.randint(0, 30)) if r.random() < 0.45 else None
    weight = round((profile.weight_kg + 1.2 * season + r.gauss(0, 0.25)) * 1000, -1)
    fat = round(profile.body_fat_percent + 0.8 * season + r.gauss(0, 0.3), 1) if weigh_in else None
    charging_start = local_epoch(zone, day, 19 * 60 + 30 + r.randint(0, 20))
    charging: tuple[int, int] | None = (charging_start, charging_start + 60 * r.randint(30, 50))
    if workout and charging and workout.start < charging[1] and charging[0] < workout.end:
        charging = None
    rest = profile.resting_heart_rate + round(2 * season) + r.randint(-3, 3)
    return DayPlan(day, zone.key, sleep, nap, workout, weigh_in, weight, fat, rest, charging)


def _night(profile: Profile, r: random.Random, zone: ZoneInfo, day: date) -> SleepSession:
    start, end = night_window(r, zone, day)
    stages = staged_night(r, start, end, wake_chance=0.35)
    awakenings = []
    for stage in stages:
        if stage.kind == "LIGHT" and stage.end - stage.start > 900 and r.random() < 0.3:
            at = stage.start + 60 * r.randint(3, (stage.end - stage.start) // 60 - 3) + 30
            awakenings.append(Stage(at, at + r.choice((30, 60, 90)), "AWAKE"))
    breaths = round(13.0 + (profile.seed % 7) * 0.4 + r.gauss(0, 0.4), 1)
    return SleepSession(start, end, stages, tuple(awakenings), False, False, breaths)


def _nap(r: random.Random, zone: ZoneInfo, day: date) -> SleepSession:
    start = local_epoch(zone, day, 13 * 60 + 30 + r.randint(0, 120))
    at, stages = start, []
    for _ in range(r.randint(2, 5)):
        kind = r.choice(("ASLEEP", "ASLEEP", "RESTLESS", "AWAKE")) if stages else "ASLEEP"
        if stages and stages[-1].kind == kind:
            kind = "ASLEEP" if kind != "ASLEEP" else "RESTLESS"
        length = 60 * (r.randint(8, 25) if kind == "ASLEEP" else r.randint(1, 4))
        stages.append(Stage(at, at + length, kind))
        at += length
    return SleepSession(start, at, tuple(stages), (), True, True, 0.0)


@dataclass(frozen=True)
class Minutes:
    """One UTC day's wear minutes; lists of 1440 (heart rate 0 and steps 0 where not worn)."""

    start: int
    worn: tuple[bool, ...]
    asleep: tuple[bool, ...]
    steps: tuple[int, ...]
    phone_steps: tuple[int, ...]
    distance_mm: tuple[int, ...]
    phone_distance_mm: tuple[int, ...]
    active_kcal: tuple[float, ...]
    heart_rate: tuple[int, ...]
    zone: tuple[int, ...]


def paint(grid: list, detail: list, start: int, first: int, last: int, value: int, what: object, *,
          unit: int = 60) -> None:
    """Mark the minutes of a day grid from `start` that [first, last) touches (times in units of 1/60 minute)."""
    lo = max(0, (first - start) // unit)
    hi = min(1440, -(-(last - start) // unit))
    for minute in range(lo, hi):
        grid[minute] = value
        detail[minute] = what


@functools.lru_cache(maxsize=128)
def day_minutes(profile: Profile, day: date) -> Minutes:
    """Return the wear minutes of a UTC day (cached)."""
    start = day_start(day)
    state, detail = [AWAKE] * 1440, [None] * 1440
    for offset in (-1, 0, 1):
        plan = day_plan(profile, day + timedelta(days=offset))
        if plan.charging:
            paint(state, detail, start, *plan.charging, OFF, None)
        for session in (plan.sleep, plan.nap):
            for stage in session.stages if session else ():
                paint(state, detail, start, stage.start, stage.end, SLEEP, stage.kind)
        if plan.workout:
            paint(state, detail, start, plan.workout.start, plan.workout.end, WORKOUT, plan.workout)
    rest = day_plan(profile, day).resting_heart_rate
    walk_stride = int(profile.height_m * 415)
    r = rng(profile, "minutes", day.toordinal())
    rand, randint = r.random, r.randint
    worn, asleep, steps, phone, dist, phone_dist, kcal, heart, zones = ([] for _ in range(9))
    walking = False
    bands = (0.58 * profile.max_heart_rate, 0.70 * profile.max_heart_rate, 0.85 * profile.max_heart_rate)
    for minute in range(1440):
        kind = state[minute]
        count = phone_count = millimeters = 0
        energy = 0.0
        if kind == OFF:  # the watch is charging; a carried phone still counts some steps
            phone_count = randint(60, 110) if profile.phone and rand() < 0.15 else 0
            worn.append(False), asleep.append(False), steps.append(0), phone.append(phone_count), dist.append(0)
            phone_dist.append(phone_count * walk_stride), kcal.append(0.0), heart.append(0), zones.append(0)
            walking = False
            continue
        if kind == SLEEP:
            bpm = rest - 5 + _STAGE_HEART.get(detail[minute], 0) + randint(-2, 2)
            walking = False
        elif kind == WORKOUT:
            workout: Workout = detail[minute]
            move = workout.kind
            bpm = workout.heart_rate + randint(-6, 6)
            if move.cadence:
                count = move.cadence + randint(-5, 5)
                millimeters = int(count * profile.height_m * 1000 * move.stride_per_height)
            elif move.speed_mm_s:
                millimeters = int(move.speed_mm_s * 60 * (0.9 + 0.2 * rand()))
            energy = move.met * profile.weight_kg * 3.5 / 200 * (0.9 + 0.2 * rand())
            if workout.phone_copy and move.cadence:
                phone_count = int(count * (0.85 + 0.1 * rand()))
        else:
            walking = rand() < (0.7 if walking else 0.04)
            if walking:
                count = randint(70, 118)
                bpm = rest + 32 + randint(-5, 8)
                energy = 2.6 + 1.4 * rand()
                if profile.phone and rand() < 0.8:
                    phone_count = int(count * (0.82 + 0.15 * rand()))
            else:
                count = 0 if rand() < 0.75 else randint(1, 25)
                bpm = rest + 16 + randint(-4, 6)
                energy = 0.05 + count * 0.03 + 0.2 * rand()
            millimeters = count * walk_stride
        worn.append(True), asleep.append(kind == SLEEP and detail[minute] != "AWAKE")
        steps.append(count), phone.append(phone_count), dist.append(millimeters)
        phone_dist.append(phone_count * walk_stride), kcal.append(round(energy, 6)), heart.append(bpm)
        zones.append(0 if kind == SLEEP else (3 if bpm >= bands[2] else 2 if bpm >= bands[1] else
                                              1 if bpm >= bands[0] else 0))
    return Minutes(start, tuple(worn), tuple(asleep), tuple(steps), tuple(phone), tuple(dist),
                   tuple(phone_dist), tuple(kcal), tuple(heart), tuple(zones))


@functools.lru_cache(maxsize=64)
def hour_heart_rate(profile: Profile, hour: int) -> tuple[tuple[int, int], ...]:
    """Return (epoch second, bpm) of every worn second of the hour starting at epoch `hour`."""
    minutes = day_minutes(profile, utc_day(hour))
    first = (hour - minutes.start) // 60
    noise = rng(profile, "hr", hour).choices((-2, -1, 0, 1, 2), k=3600)
    out = []
    for index in range(60):
        bpm = minutes.heart_rate[first + index]
        if bpm:
            base = hour + 60 * index
            out.extend((base + second, bpm + noise[60 * index + second]) for second in range(60))
    return tuple(out)
