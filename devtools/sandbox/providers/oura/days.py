"""A person-day's daily values: scores and nightly metrics, and the 04:00-04:00 activity timeline.

The activity day runs from 04:00 local to 04:00 the next day (docs/providers/oura.md 4.2): one
class per 5 minutes (0 non-wear, 1 rest, 2 inactive, 3 low, 4 medium, 5 high) and one MET value
and one step count per minute, drawn from the person-day's sleep, workout, session and charging.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from devtools.sandbox.providers.oura.plan import (
    SLOT,
    STEPLESS,
    Period,
    daytime,
    person_day,
    rng,
)
from devtools.sandbox.wearer.clock import local_epoch
from devtools.sandbox.wearer.clock import person_zone as zone_of
from devtools.sandbox.wearer.profiles import Profile

MINUTES = 1440
_INTENSITY_CLASS = {"easy": "3", "moderate": "4", "hard": "5"}
_MET = {"0": (0.0, 0.0), "1": (0.9, 1.0), "2": (1.1, 1.6), "3": (2.0, 3.0), "4": (3.0, 6.0), "5": (6.0, 10.0)}
_STEPS = {"3": (55, 95), "4": (95, 125), "5": (140, 170)}
RESILIENCE = ((80.0, "exceptional"), (70.0, "strong"), (60.0, "solid"), (45.0, "adequate"), (0.0, "limited"))


@dataclass(frozen=True)
class Scores:
    """Daily values computed from a person-day's main sleep (None: not measured that day)."""

    sleep: int
    sleep_contributors: dict[str, int]
    readiness: int
    readiness_contributors: dict[str, int]
    temperature_deviation: float
    temperature_trend_deviation: float
    spo2: float | None
    breathing_disturbance: int | None
    stress_high: int | None
    recovery_high: int | None
    day_summary: str | None
    resilience_level: str
    resilience_contributors: dict[str, float]
    vascular_age: int | None
    pulse_wave_velocity: float | None
    vo2_max: int | None


def _clamp(value: float, low: int = 1, high: int = 100) -> int:
    return max(low, min(high, int(round(value))))


@functools.lru_cache(maxsize=2048)
def scores(profile: Profile, day: date) -> Scores:
    """Return a person-day's scores (cached)."""
    main = person_day(profile, day).main
    r = rng(profile, "scores", day.toordinal())
    stages = main.stage_seconds()
    asleep = stages["1"] + stages["2"] + stages["3"]
    efficiency = 100.0 * asleep / max(1, main.end - main.start)
    sleep = _clamp(35 + 7.5 * (asleep / 3600 - 4) + 0.6 * (efficiency - 80) + r.gauss(0, 3))
    contributors = {name: _clamp(sleep + r.gauss(0, 8)) for name in
                    ("deep_sleep", "efficiency", "latency", "rem_sleep", "restfulness", "timing", "total_sleep")}
    readiness = _clamp(0.6 * sleep + 30 + r.gauss(0, 5))
    ready = {name: _clamp(readiness + r.gauss(0, 9)) for name in
             ("activity_balance", "body_temperature", "hrv_balance", "previous_day_activity", "previous_night",
              "recovery_index", "resting_heart_rate", "sleep_balance", "sleep_regularity")}
    measured = r.random() >= 0.05  # some nights give no SpO2 reading
    stress, recovery = (900 * r.randint(0, 12), 900 * r.randint(0, 16)) if r.random() >= 0.04 else (None, None)
    summary = None
    if stress is not None and recovery is not None:
        summary = "stressful" if stress > 1.5 * recovery else "restored" if recovery > 1.5 * stress else "normal"
    resilience = {key: round(min(100.0, max(0.0, value)), 1) for key, value in (
        ("sleep_recovery", sleep + r.gauss(-5, 10)), ("daytime_recovery", 55 + r.gauss(0, 15)),
        ("stress", 60 + r.gauss(0, 15)))}
    mean = sum(resilience.values()) / 3
    level = next(name for floor, name in RESILIENCE if mean >= floor)
    heart_day = r.random() >= 0.1
    vo2 = int(round(62 - 0.45 * profile.age + r.gauss(0, 1.5))) if (day.toordinal() + profile.seed) % 9 == 0 else None
    return Scores(sleep, contributors, readiness, ready, round(r.gauss(0, 0.25), 2), round(r.gauss(0, 0.1), 2),
                  round(96.0 + 2.5 * r.random(), 3) if measured else None, r.randint(0, 25) if measured else None,
                  stress, recovery, summary, level, resilience,
                  _clamp(profile.age + r.gauss(-2, 2.5), 18) if heart_day else None,
                  round(5.5 + 0.06 * (profile.age - 30) + r.gauss(0, 0.3), 2) if heart_day else None, vo2)


@dataclass(frozen=True)
class ActivityDay:
    """The activity day of a person-day: its start (04:00 local), 288 classes, per-minute METs and steps."""

    start: int
    classes: str
    met: tuple[float, ...]
    steps: tuple[int, ...]


def _periods(profile: Profile, day: date) -> list[Period]:
    following = person_day(profile, day + timedelta(days=1))
    own = person_day(profile, day)
    found = [own.main, following.main, own.daytime.nap, own.daytime.late_nap]
    return [period for period in found if period is not None]


@functools.lru_cache(maxsize=1024)
def activity_day(profile: Profile, day: date) -> ActivityDay:
    """Return the activity timeline of a person-day (cached)."""
    start = local_epoch(zone_of(profile, day), day, 240)
    own = daytime(profile, day)
    periods = _periods(profile, day)
    r = rng(profile, "activity", day.toordinal())
    classes, stepless = [], []
    walking = False
    for index in range(MINUTES // 5):
        at = start + index * SLOT + SLOT // 2
        workout = own.workout if own.workout and own.workout.start <= at < own.workout.end else None
        if own.charging and own.charging[0] <= at < own.charging[1]:
            code = "0"
        elif any(period.start <= at < period.end for period in periods):
            code = "1"
        elif own.session and own.session.start <= at < own.session.end:
            code = "1"
        elif workout is not None:
            code = _INTENSITY_CLASS[workout.intensity]
        else:
            walking = r.random() < (0.5 if walking else 0.05)
            code = ("4" if r.random() < 0.15 else "3") if walking else "2"
        classes.append(code)
        stepless.append(workout is not None and workout.activity in STEPLESS)
    met, steps = [], []
    for minute in range(MINUTES):
        code = classes[minute // 5]
        low, high = _MET[code]
        met.append(round(low + (high - low) * r.random(), 1))
        if code in _STEPS and not stepless[minute // 5]:
            steps.append(r.randint(*_STEPS[code]))
        elif code == "2" and r.random() < 0.25:
            steps.append(r.randint(1, 12))
        else:
            steps.append(0)
    return ActivityDay(start, "".join(classes), tuple(met), tuple(steps))
