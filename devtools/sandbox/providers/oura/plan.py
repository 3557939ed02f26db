"""One Oura wearer's person-day: sleep periods with their hypnograms, a workout, a session, charging.

A person-day D is the user's local day in the zone they are in at 12:00 UTC of D. Its main sleep
(`long_sleep`, counting towards D) starts in the evening of D-1 and ends in the morning of D; an
afternoon nap (`sleep`) counts towards D and an evening nap after 18:00 (`late_nap`) towards D+1.
Daytime events are planned in D's zone; the main sleep is moved so it never overlaps the previous
day's evening after a time-zone change and ends before D's first daytime event. Everything is drawn
from generators seeded by the user and the day, so re-reads are identical.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date, timedelta

from devtools.sandbox.wearer.clock import local_epoch
from devtools.sandbox.wearer.clock import person_zone as zone_of
from devtools.sandbox.wearer.profiles import Profile

SLOT = 300
DEEP, LIGHT, REM, AWAKE = "1", "2", "3", "4"
_HEART_BY_STAGE = {DEEP: -3.0, LIGHT: 0.0, REM: 3.0, AWAKE: 7.0}
_HRV_BY_STAGE = {DEEP: 1.25, LIGHT: 1.0, REM: 0.9, AWAKE: 0.75}
_ACTIVITIES = {"RUNNING": "running", "WALKING": "walking", "HIKING": "hiking", "OUTDOOR_BIKE": "cycling",
               "SWIMMING_POOL": "swimming", "YOGA": "yoga", "STRENGTH_TRAINING": "strength_training",
               "WEIGHTLIFTING": "weightlifting", "HIIT": "hiit", "DANCING": "dancing"}
STEPLESS = frozenset({"cycling", "swimming", "yoga", "strength_training", "weightlifting", "stand_up_paddling"})
SESSION_KINDS = ("meditation", "breathing", "relaxation", "rest", "body_status")


def rng(profile: Profile, *parts: object) -> random.Random:
    """Return a generator seeded by the user and `parts` (stable across processes)."""
    return random.Random(f"oura:{profile.seed}:" + ":".join(str(part) for part in parts))


@dataclass(frozen=True)
class Period:
    """A sleep period [start, end) in epoch seconds, with its 5-minute hypnogram and series."""

    start: int
    end: int
    kind: str
    day: date
    number: int
    phases: str
    heart: tuple[float | None, ...]
    hrv: tuple[float | None, ...]
    breath: float
    restless: int

    def stage_seconds(self) -> dict[str, int]:
        """Return seconds per stage code, the last slot cut at the period's end."""
        out = {DEEP: 0, LIGHT: 0, REM: 0, AWAKE: 0}
        for index, code in enumerate(self.phases):
            out[code] += max(0, min(SLOT, self.end - self.start - index * SLOT))
        return out

    def latency(self) -> int:
        """Return the seconds before the first sleeping slot."""
        awake = len(self.phases) - len(self.phases.lstrip(AWAKE))
        return min(awake * SLOT, self.end - self.start)


@dataclass(frozen=True)
class Workout:
    """A workout [start, end) with Oura's fields."""

    start: int
    end: int
    activity: str
    intensity: str
    calories: float
    distance: float | None
    label: str | None
    source: str


@dataclass(frozen=True)
class Session:
    """A guided session [start, end) with its 5-second heart rate and HRV."""

    start: int
    end: int
    kind: str
    mood: str | None
    heart: tuple[float | None, ...]
    hrv: tuple[float | None, ...]


@dataclass(frozen=True)
class Daytime:
    """A person-day's events that do not depend on other days."""

    nap: Period | None
    late_nap: Period | None
    workout: Workout | None
    session: Session | None
    charging: tuple[int, int] | None

    def busy(self) -> list[tuple[int, int]]:
        """Return every event's [start, end)."""
        events = (self.nap, self.late_nap, self.workout, self.session)
        spans = [(event.start, event.end) for event in events if event is not None]
        return spans + ([self.charging] if self.charging else [])


@dataclass(frozen=True)
class PersonDay:
    """Everything a person-day holds."""

    day: date
    zone: str
    main: Period
    daytime: Daytime


def _hypnogram(r: random.Random, slots: int, nap: bool) -> str:
    phases = [AWAKE] * r.randint(1, 2 if nap else 4)
    cycle = 0
    while len(phases) < slots - 1:
        phases += [LIGHT] * r.randint(2, 5 if nap else 9)
        phases += [DEEP] * max(0, r.randint(2, 4) if nap else r.randint(5, 10) - 2 * cycle)
        if not nap:
            phases += [LIGHT] * r.randint(1, 4) + [REM] * (r.randint(2, 4) + cycle)
            if r.random() < 0.25:
                phases.append(AWAKE)
        cycle += 1
    return "".join(phases[: slots - 1] + [AWAKE])


def _series(r: random.Random, phases: str, rest: int, hrv: float) -> tuple[tuple, tuple]:
    hearts, variability = [], []
    count = len(phases)
    for index, code in enumerate(phases):
        if 0 < index < count - 1 and r.random() < 0.02:
            hearts.append(None)
            variability.append(None)
            continue
        shape = 2.0 * abs(index - count * 0.6) / max(count, 1)  # lowest late in the night
        hearts.append(float(round(rest - 4 + _HEART_BY_STAGE[code] + shape + r.gauss(0, 1.2))))
        variability.append(float(max(8, round(hrv * _HRV_BY_STAGE[code] + r.gauss(0, 4)))))
    return tuple(hearts), tuple(variability)


def _period(profile: Profile, r: random.Random, start: int, minutes: int, kind: str, day: date,
            number: int) -> Period:
    end = start + 60 * minutes + r.choice((0, 30))
    phases = _hypnogram(r, -(-(end - start) // SLOT), kind != "long_sleep")
    hearts, variability = _series(r, phases, profile.resting_heart_rate, profile.hrv_ms)
    breath = round((13.0 + (profile.seed % 7) * 0.4 + r.gauss(0, 0.4)) * 8) / 8
    restless = r.randint(10, 50) if kind == "long_sleep" else r.randint(0, 8)
    return Period(start, end, kind, day, number, phases, hearts, variability, breath, restless)


def activities(profile: Profile) -> tuple[str, ...]:
    """Return the Oura activity names a user works out with (one outside Personicle's types)."""
    own = tuple(_ACTIVITIES.get(name, name.lower()) for name in profile.workouts)
    return own + ("stand_up_paddling",)


@functools.lru_cache(maxsize=2048)
def daytime(profile: Profile, day: date) -> Daytime:
    """Return the daytime events of a person-day (cached)."""
    zone = zone_of(profile, day)
    r = rng(profile, "daytime", day.toordinal())
    charging = None
    if r.random() < 0.6:
        begin = local_epoch(zone, day, 12 * 60 + r.randint(0, 20))
        charging = (begin, begin + 60 * r.randint(25, 40))
    nap = None
    if r.random() < 0.12:
        nap = _period(profile, r, local_epoch(zone, day, 13 * 60 + 30 + r.randint(0, 120)), r.randint(20, 90),
                      "sleep", day, 1)
    session = None
    if r.random() < 0.2:
        start = local_epoch(zone, day, 10 * 60 + 30 + r.randint(0, 60))
        length = 60 * r.randint(5, 20)
        samples = length // 5
        heart = tuple(float(round(profile.resting_heart_rate + 2 - 4 * i / samples + r.gauss(0, 1.5)))
                      for i in range(samples))
        hrv = tuple(float(round(profile.hrv_ms * (1 + 0.3 * i / samples) + r.gauss(0, 5))) for i in range(samples))
        session = Session(start, start + length, r.choice(SESSION_KINDS),
                          r.choice((None, "good", "great", "same", "worse")), heart, hrv)
    workout = None
    if r.random() < profile.workout_chance:
        activity = r.choice(activities(profile))
        start = local_epoch(zone, day, 17 * 60 + r.randint(0, 60))
        minutes = r.randint(25, 75)
        intensity = r.choice(("easy", "moderate", "moderate", "hard"))
        met = {"easy": 4.0, "moderate": 6.5, "hard": 9.0}[intensity]
        calories = round(met * profile.weight_kg * minutes / 60 * (0.9 + 0.2 * r.random()), 3)
        distance = None if activity in STEPLESS else round(minutes * (80.0 if activity == "walking" else 160.0)
                                                            * (0.85 + 0.3 * r.random()), 3)
        workout = Workout(start, start + 60 * minutes, activity, intensity, calories, distance,
                          r.choice((None, None, "Evening session")), r.choice(("confirmed", "autodetected", "manual")))
    late_nap = None
    if workout is None and r.random() < 0.05:
        late_nap = _period(profile, r, local_epoch(zone, day, 19 * 60 + r.randint(0, 60)), r.randint(20, 45),
                           "late_nap", day + timedelta(days=1), 2)
    return Daytime(nap, late_nap, workout, session, charging)


@functools.lru_cache(maxsize=2048)
def person_day(profile: Profile, day: date) -> PersonDay:
    """Return a person-day with its main sleep (cached)."""
    zone = zone_of(profile, day)
    r = rng(profile, "night", day.toordinal())
    before = day - timedelta(days=1)
    start = local_epoch(zone, before, 22 * 60 + 30 + r.randint(0, 90))
    earlier = [end for _, end in daytime(profile, before).busy()]
    if earlier and max(earlier) + 1200 > start:
        start = max(earlier) + 1200  # after a zone change: the previous evening ran late
    minutes = r.randint(390, 540)
    own = daytime(profile, day)
    later = [begin for begin, _ in own.busy()]
    if later:
        minutes = max(60, min(minutes, (min(later) - 900 - start) // 60))
    main = _period(profile, r, start, minutes, "long_sleep", day, 0)
    return PersonDay(day, zone.key, main, own)
