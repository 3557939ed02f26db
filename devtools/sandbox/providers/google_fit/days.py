"""Google Fit person-days of the demo users: sleep with its stages, a workout, and manual measurements.

A person-day is the local date in the zone the user is in at noon UTC of that date (the same rule
as the Google Health imitation); its sleep starts that evening and ends the next morning, so it
crosses midnight. Everything is drawn from generators seeded by the user and the date: the same
day always reads the same. Times are epoch milliseconds.
"""

from __future__ import annotations

import functools
import math
import random
import struct
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from devtools.sandbox.wearer.clock import local_epoch, person_zone
from devtools.sandbox.wearer.days import rng as wearer_rng
from devtools.sandbox.wearer.profiles import Profile, profile_of
from devtools.sandbox.wearer.sleep import night_window, staged_night
from devtools.sandbox.wearer.workouts import WORKOUT_KINDS, WorkoutKind

MINUTE_MS = 60_000
DAY_MS = 86_400_000
FIT_APP = "com.google.android.apps.fitness"
# sleep_segment_type values (docs/providers/google_fit.md 4.2)
AWAKE, ASLEEP, OUT_OF_BED, LIGHT, DEEP, REM = 1, 2, 3, 4, 5, 6
_STAGE_CODES = {"AWAKE": AWAKE, "OUT_OF_BED": OUT_OF_BED, "LIGHT": LIGHT, "DEEP": DEEP, "REM": REM}


@dataclass(frozen=True)
class Habits:
    """What a demo user records in Google Fit."""

    watch: bool  # a watch logs heart rate; without one only the phone counts steps
    activities: tuple[int, ...]  # workout activity types
    workout_chance: float
    weigh_chance: float
    smart_scale: bool  # weigh-ins also log body fat
    pressure_chance: float
    glucose_per_day: int
    spo2: bool
    temperature_chance: float
    sleep_app: str | None  # package writing sleep sessions and stages (None: sleep not tracked)


HABITS = {
    "alice": Habits(True, (8, 8, 100, 1, 80), 0.6, 0.4, True, 0.0, 0, True, 0.05, FIT_APP),
    "bob": Habits(True, (7, 7, 83, 97, 35), 0.5, 0.5, True, 0.35, 0, False, 0.02, "com.northcube.sleepcycle"),
    "carol": Habits(True, (114, 24, 100, 58), 0.55, 0.2, False, 0.0, 2, False, 0.12, "com.urbandroid.sleep"),
    # A phone-only account: steps, distance and calories, no heart rate, no sleep, few weigh-ins.
    "dave": Habits(False, (7,), 0.15, 0.08, False, 0.0, 0, False, 0.0, None),
}
_SLEEP_NAMES = {FIT_APP: "Sleep", "com.northcube.sleepcycle": "Sleep analysis",
                "com.urbandroid.sleep": "Sleep as Android"}
_WORKOUT_NAMES = {8: "run", 7: "walk", 1: "ride", 100: "yoga", 80: "strength training", 83: "swim",
                  97: "weightlifting", 35: "hike", 114: "HIIT", 24: "dance", 58: "treadmill run"}
# Fit activity types of the wearer's workout kinds.
ACTIVITY_KINDS = {8: "RUNNING", 58: "TREADMILL_RUNNING", 7: "WALKING", 35: "HIKING", 1: "OUTDOOR_BIKE",
                  83: "SWIMMING_POOL", 100: "YOGA", 80: "STRENGTH_TRAINING", 97: "WEIGHTLIFTING", 114: "HIIT",
                  24: "DANCING"}
_WALK_CADENCE = 112  # walks recorded as Fit sessions are a little slower than the wearer's daily walking


def _move(activity: int, kind: WorkoutKind) -> tuple[int, float, float, float]:
    cadence = _WALK_CADENCE if activity == 7 else kind.cadence
    return cadence, kind.stride_per_height, kind.speed_mm_s / 1000, kind.met


# activity -> (steps per minute, stride / height, speed m/s without steps, MET), from the wearer's kinds
MOVES = {activity: _move(activity, WORKOUT_KINDS[name]) for activity, name in ACTIVITY_KINDS.items()}


def habits_of(user: str) -> Habits:
    """Return a demo user's recording habits (unknown names record like bob)."""
    return HABITS.get(user, HABITS["bob"])


@dataclass(frozen=True)
class Segment:
    """One sleep stage [start, end)."""

    start: int
    end: int
    stage: int


@dataclass(frozen=True)
class Session:
    """One Fit session (sleep or workout)."""

    id: str
    name: str
    start: int
    end: int
    activity: int
    package: str
    active_ms: int | None
    modified: int


@dataclass(frozen=True)
class Measurement:
    """One manual reading: its data type and its `value[]` slots in field order (None: unset)."""

    at: int
    data_type: str
    values: tuple[int | float | None, ...]


@dataclass(frozen=True)
class FitDay:
    """What one person-day holds."""

    day: date
    night: tuple[int, int]  # when the user sleeps, tracked or not
    sleep: Session | None
    segments: tuple[Segment, ...]
    workout: Session | None
    workout_heart: int
    measurements: tuple[Measurement, ...]
    bmr_kcal: float  # basal metabolic rate, kcal per day
    charging: tuple[int, int] | None  # the watch is off the wrist


def rng(profile: Profile, *parts: object) -> random.Random:
    """Return the wearer's generator for Fit's own draws of `parts` (stable across processes)."""
    return wearer_rng(profile, "fit", *parts)


def local_ms(zone: ZoneInfo, day: date, minutes: float) -> int:
    """Return the epoch ms of a wall-clock time `minutes` after local midnight of `day`."""
    return local_epoch(zone, day, minutes) * 1000


def f32(value: float) -> float:
    """Return `value` as a single-precision float widened to double (as Fit stores floats)."""
    return struct.unpack("f", struct.pack("f", value))[0]


@functools.lru_cache(maxsize=4096)
def fit_day(user: str, day: date) -> FitDay:
    """Return the plan of one person-day of `user` (cached)."""
    profile, habits = profile_of(user), habits_of(user)
    zone = person_zone(profile, day)
    r = rng(profile, "day", day.toordinal())
    sleep, segments = _night(r, habits, zone, day)
    night = (sleep.start, sleep.end)
    if not habits.sleep_app:
        sleep, segments = None, ()
    workout, heart = _workout(profile, habits, r, zone, day) if r.random() < habits.workout_chance else (None, 0)
    season = math.sin(2 * math.pi * day.timetuple().tm_yday / 365.25)
    weight = profile.weight_kg + 1.2 * season + r.gauss(0, 0.25)
    bmr = 10 * weight + 625 * profile.height_m - 5 * profile.age + (-161 if profile.female else 5)
    measurements = _measurements(profile, habits, r, zone, day, weight, season, segments)
    charge_at = local_ms(zone, day, 19 * 60 + 30 + r.randint(0, 20))
    charging = (charge_at, charge_at + MINUTE_MS * r.randint(30, 50)) if habits.watch else None
    if workout and charging and workout.start < charging[1] and charging[0] < workout.end:
        charging = None
    return FitDay(day, night, sleep, segments, workout, heart, measurements, bmr, charging)


def _night(r: random.Random, habits: Habits, zone: ZoneInfo, day: date) -> tuple[Session, tuple[Segment, ...]]:
    start, end = night_window(r, zone, day)
    package = habits.sleep_app or FIT_APP
    if r.random() < 0.08:
        segments = _generic(r, start * 1000, end * 1000)
    else:
        segments = tuple(Segment(stage.start * 1000, stage.end * 1000, _STAGE_CODES[stage.kind])
                         for stage in staged_night(r, start, end, wake_chance=0.3, out_of_bed_chance=0.3))
    session = Session(f"{package}.{start * 1000}", _SLEEP_NAMES.get(package, "Sleep"), start * 1000, end * 1000, 72,
                      package, None, end * 1000 + MINUTE_MS * r.randint(2, 40))
    return session, segments


def _generic(r: random.Random, start: int, end: int) -> tuple[Segment, ...]:
    """Return a night tracked without stages: sleep (type 2) broken by short awake spells."""
    out, at = [], start
    while at < end:
        length = MINUTE_MS * r.randint(60, 180)
        until = min(at + length, end)
        out.append(Segment(at, until, ASLEEP))
        at = until
        if at < end - 10 * MINUTE_MS:
            out.append(Segment(at, at + MINUTE_MS * r.randint(2, 8), AWAKE))
            at = out[-1].end
    return tuple(out)


def _workout(profile: Profile, habits: Habits, r: random.Random, zone: ZoneInfo, day: date
             ) -> tuple[Session, int]:
    activity = r.choice(habits.activities)
    morning = r.random() < 0.5
    begin = (9 * 60 + r.randint(0, 45)) if morning else (17 * 60 + 30 + r.randint(0, 90))
    start = local_ms(zone, day, begin) + 1000 * r.randint(0, 59)
    length = MINUTE_MS * r.randint(25, 75)
    pause = MINUTE_MS * r.randint(0, 4)
    met = MOVES.get(activity, (0, 0.0, 0.0, 5.0))[3]
    heart = int(profile.max_heart_rate * min(0.88, 0.42 + met * 0.045)) + r.randint(-5, 5)
    label = f"{'Morning' if morning else 'Evening'} {_WORKOUT_NAMES.get(activity, 'workout')}"
    session_id = f"{r.getrandbits(32):08x}-{_WORKOUT_NAMES.get(activity, 'workout').replace(' ', '-')}-{start}"
    package = FIT_APP if r.random() < 0.8 else "com.strava"
    active = length - pause if habits.watch else None
    return Session(session_id, label, start, start + length, activity, package, active,
                   start + length + MINUTE_MS * r.randint(1, 30)), heart


def _measurements(profile: Profile, habits: Habits, r: random.Random, zone: ZoneInfo, day: date, weight: float,
                  season: float, segments: tuple[Segment, ...]) -> tuple[Measurement, ...]:
    out: list[Measurement] = []
    if r.random() < habits.weigh_chance:
        at = local_ms(zone, day, 8 * 60 + 50 + r.randint(0, 30)) + 1000 * r.randint(0, 59)
        out.append(Measurement(at, "com.google.weight", (f32(round(weight, 1)),)))
        if habits.smart_scale:
            fat = profile.body_fat_percent + 0.8 * season + r.gauss(0, 0.3)
            out.append(Measurement(at, "com.google.body.fat.percentage", (f32(round(fat, 1)),)))
    if day.toordinal() % 60 == profile.seed % 60:  # the height is confirmed in the profile every two months
        out.append(Measurement(local_ms(zone, day, 9 * 60 + 35), "com.google.height", (f32(profile.height_m),)))
    if r.random() < habits.pressure_chance:
        at = local_ms(zone, day, 9 * 60 + r.randint(0, 40))
        systolic, diastolic = 126 + r.gauss(0, 6) + 3 * season, 82 + r.gauss(0, 4)
        out.append(Measurement(at, "com.google.blood_pressure",
                               (f32(round(systolic)), f32(round(diastolic)), 2, r.choice((1, 3)))))
    for index in range(habits.glucose_per_day):
        fasting = index == 0
        at = local_ms(zone, day, (8 * 60 + 55 if fasting else 13 * 60 + 40) + r.randint(0, 25))
        level = (5.0 if fasting else 6.9) + r.gauss(0, 0.45)
        out.append(Measurement(at, "com.google.blood_glucose",
                               (f32(round(level, 1)), 2 if fasting else 4, 1 if fasting else 2, None, 2)))
    if habits.spo2 and segments:
        middle = segments[len(segments) // 2]
        out.append(Measurement((middle.start + middle.end) // 2 // 1000 * 1000, "com.google.oxygen_saturation",
                               (f32(round(96.5 + r.gauss(0, 1.0), 1)), 0.0, None, None, 1)))
    if r.random() < habits.temperature_chance:
        at = local_ms(zone, day, 18 * 60 + r.randint(0, 90))
        out.append(Measurement(at, "com.google.body.temperature",
                               (f32(round(36.7 + r.gauss(0, 0.25), 1)), r.choice((4, 8)))))
    out.sort(key=lambda m: (m.at, m.data_type))
    return tuple(out)
