"""Workouts of the synthetic person-days: how each exercise type moves, and drawing one for a day."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from devtools.sandbox.wearer.clock import local_epoch
from devtools.sandbox.wearer.profiles import Profile


@dataclass(frozen=True)
class WorkoutKind:
    """How an exercise type moves: cadence, stride, speed, heart-rate fraction, METs, display name."""

    cadence: int
    stride_per_height: float
    speed_mm_s: int
    heart_fraction: float
    met: float
    display: str


WORKOUT_KINDS = {
    "RUNNING": WorkoutKind(165, 0.65, 0, 0.80, 9.8, "Run"),
    "WALKING": WorkoutKind(115, 0.42, 0, 0.57, 3.8, "Walk"),
    "HIKING": WorkoutKind(100, 0.40, 0, 0.62, 6.0, "Hike"),
    "OUTDOOR_BIKE": WorkoutKind(0, 0.0, 6200, 0.72, 7.5, "Outdoor Bike"),
    "SWIMMING_POOL": WorkoutKind(0, 0.0, 650, 0.70, 7.0, "Swim"),
    "YOGA": WorkoutKind(0, 0.0, 0, 0.50, 2.8, "Yoga"),
    "STRENGTH_TRAINING": WorkoutKind(0, 0.0, 0, 0.62, 5.0, "Strength training"),
    "WEIGHTLIFTING": WorkoutKind(0, 0.0, 0, 0.60, 4.5, "Weights"),
    "HIIT": WorkoutKind(60, 0.40, 0, 0.82, 8.0, "HIIT"),
    "DANCING": WorkoutKind(80, 0.35, 0, 0.68, 5.5, "Dance"),
    "KICKBOXING": WorkoutKind(30, 0.35, 0, 0.78, 7.5, "Kickboxing"),
    "TREADMILL_RUNNING": WorkoutKind(160, 0.62, 0, 0.78, 9.0, "Treadmill run"),
}


@dataclass(frozen=True)
class Workout:
    """An exercise session with a pause; `phone_copy`: a phone app recorded it too."""

    start: int
    end: int
    exercise_type: str
    pause: tuple[int, int]
    heart_rate: int
    phone_copy: bool

    @property
    def kind(self) -> WorkoutKind:
        """Return how this workout type moves."""
        return WORKOUT_KINDS[self.exercise_type]


def plan_workout(profile: Profile, r: random.Random, zone: ZoneInfo, day: date) -> Workout:
    """Return a workout of the person-day `day` in `zone`, drawn from `r`."""
    kind_name = r.choice(profile.workouts)
    morning = r.random() < 0.5
    begin = (7 * 60 + 15 + r.randint(0, 45)) if morning else (17 * 60 + 30 + r.randint(0, 90))
    start = local_epoch(zone, day, begin) + r.choice((0, 15, 30, 45))
    end = start + 60 * r.randint(25, 75) + r.randint(0, 59)
    pause_at = start + (end - start) // 2
    pause = (pause_at, pause_at + 60 * r.randint(0, 3))
    heart = int(profile.max_heart_rate * WORKOUT_KINDS[kind_name].heart_fraction) + r.randint(-5, 5)
    copy = kind_name in ("RUNNING", "WALKING", "HIKING") and profile.phone is not None and r.random() < 0.5
    return Workout(start, end, kind_name, pause, heart, copy)
