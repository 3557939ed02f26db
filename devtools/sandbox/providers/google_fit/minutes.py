"""One UTC day of a demo user's Google Fit minutes: steps, distance, energy, heart rate, activity.

Each minute is painted from the person-days around it (days.py): asleep, in a workout,
the watch charging, or awake with occasional walking bouts. Values are compact arrays (a year
of minutes stays small in the cache); a zero means no data point for that minute.
"""

from __future__ import annotations

import functools
from array import array
from dataclasses import dataclass
from datetime import date, timedelta

from devtools.sandbox.providers.google_fit.days import (
    AWAKE,
    DEEP,
    LIGHT,
    MINUTE_MS,
    MOVES,
    OUT_OF_BED,
    REM,
    fit_day,
    habits_of,
    rng,
)
from devtools.sandbox.wearer import clock
from devtools.sandbox.wearer.days import paint
from devtools.sandbox.wearer.profiles import profile_of

STILL, WALKING, SLEEPING = 3, 7, 72
_OFF, _AWAKE, _SLEEP, _WORKOUT = 0, 1, 2, 3
_STAGE_HEART = {DEEP: -3, LIGHT: 0, REM: 4, AWAKE: 8, OUT_OF_BED: 12}


@dataclass(frozen=True)
class Minutes:
    """One UTC day from `start` (epoch ms), 1440 values per array."""

    start: int
    steps: array  # count
    distance_dm: array  # decimetres
    active_mkcal: array  # active energy, thousandths of a kcal (basal excluded)
    heart: array  # bpm, 0: no sample
    move: array  # 1: a move minute
    heart_points: array  # 0, 1 (moderate) or 2 (vigorous)
    activity: array  # activity type of the minute
    bmr_kcal: float  # basal metabolic rate of the day, kcal per day


def day_start(day: date) -> int:
    """Return the epoch ms of 00:00 UTC of `day`."""
    return clock.day_start(day) * 1000


def utc_day(epoch_ms: int) -> date:
    """Return the UTC date of an epoch ms."""
    return clock.utc_day(epoch_ms // 1000)


@functools.lru_cache(maxsize=1024)
def day_minutes(user: str, day: date) -> Minutes:
    """Return the minutes of a UTC day of `user` (cached)."""
    profile, habits = profile_of(user), habits_of(user)
    start = day_start(day)
    state: list[int] = [_AWAKE] * 1440
    detail: list[object] = [None] * 1440
    for offset in (-1, 0, 1):
        plan = fit_day(user, day + timedelta(days=offset))
        paint(state, detail, start, *plan.night, _SLEEP, LIGHT, unit=MINUTE_MS)
        for segment in plan.segments:
            paint(state, detail, start, segment.start, segment.end, _SLEEP, segment.stage, unit=MINUTE_MS)
        if plan.charging:
            paint(state, detail, start, *plan.charging, _OFF, None, unit=MINUTE_MS)
        if plan.workout:
            paint(state, detail, start, plan.workout.start, plan.workout.end, _WORKOUT,
                  (plan.workout.activity, plan.workout_heart), unit=MINUTE_MS)
    today = fit_day(user, day)
    rest = profile.resting_heart_rate + (day.toordinal() % 5) - 2
    kg, height, top = profile.weight_kg, profile.height_m, profile.max_heart_rate
    per_met = 3.5 * kg / 200.0 * 1000  # mkcal per minute per MET
    r = rng(profile, "minutes", day.toordinal())
    rand, randint = r.random, r.randint
    steps, dist, kcal, heart, move, points, activity = ([0] * 1440 for _ in range(7))
    walking = False
    for minute in range(1440):
        kind = state[minute]
        if kind == _SLEEP:
            heart[minute] = rest - 6 + _STAGE_HEART.get(detail[minute], 0) + randint(-2, 2)  # type: ignore[arg-type]
            activity[minute] = SLEEPING
            walking = False
        elif kind == _WORKOUT:
            code, pulse = detail[minute]  # type: ignore[misc]
            cadence, stride, speed, met = MOVES.get(code, (0, 0.0, 0.0, 5.0))
            count = cadence + randint(-5, 5) if cadence else 0
            metres = count * height * stride if cadence else speed * 60 * (0.9 + 0.2 * rand())
            steps[minute], dist[minute] = count, int(metres * 10)
            beat = pulse + randint(-6, 6)
            heart[minute], activity[minute], move[minute] = beat, code, 1
            kcal[minute] = int((met - 1) * per_met * (0.9 + 0.2 * rand()))
            points[minute] = 2 if beat >= 0.70 * top else 1 if beat >= 0.55 * top else 0
        else:
            walking = rand() < (0.7 if walking else 0.04)
            if walking:
                count = randint(70, 118)
                heart[minute] = rest + 30 + randint(-5, 8)
                activity[minute], move[minute], points[minute] = WALKING, 1, 1 if count >= 100 else 0
                kcal[minute] = int(2.3 * per_met * (0.8 + 0.4 * rand()))
            else:
                count = 0 if rand() < 0.75 else randint(1, 25)
                heart[minute] = rest + 15 + randint(-4, 6)
                activity[minute] = STILL
                kcal[minute] = int(0.3 * per_met * rand())
            steps[minute], dist[minute] = count, int(count * height * 0.415 * 10)
            if kind == _OFF:
                heart[minute] = 0
        if not habits.watch:
            heart[minute] = 0
    return Minutes(start, array("H", steps), array("H", dist), array("H", kcal), array("B", heart),
                   array("B", move), array("B", points), array("B", activity), today.bmr_kcal)
