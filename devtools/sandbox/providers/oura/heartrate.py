"""Heart-rate rows of one UTC day, as Oura's `heartrate` collection returns them (docs/providers/oura.md 4.5).

One row every 5 minutes while the ring is worn (`sleep` inside sleep periods, following the
period's 5-minute heart rate; `rest` when inactive; `awake` when moving), a few bursts of `awake`
rows seconds apart, and `workout` rows every 10 seconds during workouts. No rows while charging or
during sessions (a session keeps its heart rate in its own document).
"""

from __future__ import annotations

import functools
import math
from datetime import date, timedelta

from devtools.sandbox.providers.oura.days import activity_day
from devtools.sandbox.providers.oura.plan import SLOT, Period, daytime, person_day, rng
from devtools.sandbox.wearer.clock import DAY, day_start, utc_day
from devtools.sandbox.wearer.profiles import Profile

WORKOUT_STEP = 10
_CLASS_HEART = {"0": 0, "1": -4, "2": 0, "3": 18, "4": 32, "5": 50}
_WORKOUT_FRACTION = {"easy": 0.62, "moderate": 0.72, "hard": 0.82}
Row = tuple[int, int, str]


def _activity_class(profile: Profile, epoch: int) -> str:
    local = epoch + profile.offset_seconds(epoch) - 4 * 3600
    timeline = activity_day(profile, utc_day(local))
    slot = (epoch - timeline.start) // SLOT
    return timeline.classes[slot] if 0 <= slot < len(timeline.classes) else "2"


@functools.lru_cache(maxsize=96)
def day_rows(profile: Profile, day: date) -> tuple[Row, ...]:
    """Return (epoch second, bpm, source) of every row of a UTC day, in time order (cached)."""
    start, end = day_start(day), day_start(day) + DAY
    periods: list[Period] = []
    blocked: list[tuple[int, int]] = []
    workouts = []
    for offset in (-1, 0, 1):
        plan = person_day(profile, day + timedelta(days=offset))
        events = daytime(profile, plan.day)
        periods += [p for p in (plan.main, events.nap, events.late_nap) if p is not None]
        blocked += [span for span in (events.charging,) if span]
        if events.session:
            blocked.append((events.session.start, events.session.end))
        if events.workout:
            workouts.append(events.workout)
            blocked.append((events.workout.start, events.workout.end))
    r = rng(profile, "heartrate", day.toordinal())
    rest = profile.resting_heart_rate
    rows: dict[int, Row] = {}
    for at in range(start + profile.seed % SLOT, end, SLOT):
        if any(low <= at < high for low, high in blocked):
            continue
        period = next((p for p in periods if p.start <= at < p.end), None)
        if period is not None:
            index = (at - period.start) // SLOT
            item = period.heart[index] if index < len(period.heart) else None
            if item is not None:
                rows[at] = (at, int(item) + r.randint(-1, 1), "sleep")
            continue
        code = _activity_class(profile, at)
        if code != "0":
            rows[at] = (at, rest + 12 + _CLASS_HEART[code] + r.randint(-3, 4), "awake" if code > "2" else "rest")
    for workout in workouts:
        peak = (220 - profile.age) * _WORKOUT_FRACTION[workout.intensity]
        for at in range(max(start, workout.start), min(end, workout.end), WORKOUT_STEP):
            swing = 6 * math.sin((at - workout.start) / 240)
            rows[at] = (at, int(peak + swing) + r.randint(-3, 3), "workout")
    for _ in range(3):
        at = start + 60 * r.randint(8 * 60, 21 * 60) + r.randint(1, 4)
        if at in rows or any(low <= at < high for low, high in blocked) or \
                any(p.start <= at < p.end for p in periods):
            continue
        for _ in range(r.randint(5, 9)):
            if at not in rows:
                rows[at] = (at, rest + 25 + r.randint(-4, 6), "awake")
            at += r.randint(5, 9)
    return tuple(rows[key] for key in sorted(rows))
