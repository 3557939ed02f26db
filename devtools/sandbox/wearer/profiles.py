"""Who the demo users are as wearers: seeds, devices, habits, home time zone and yearly trips."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from devtools.sandbox.users import DemoUser, find_user, wearer_seed

UTC = timezone.utc


@dataclass(frozen=True)
class Trip:
    """A yearly stay in another time zone: from month/day (UTC date) for `days` days."""

    month: int
    day: int
    days: int
    zone: str


@dataclass(frozen=True)
class Profile:
    """One demo user as a wearer."""

    user: str
    seed: int
    home_zone: str
    trips: tuple[Trip, ...]
    watch: str
    phone: str | None
    heart_rate_step_seconds: int  # 1: a watch logging every second; 60: one sample per minute
    age: int
    weight_kg: float
    height_m: float
    female: bool
    resting_heart_rate: int
    hrv_ms: float
    body_fat_percent: float
    workouts: tuple[str, ...]
    workout_chance: float
    manual_weight: bool

    def __hash__(self) -> int:  # profiles key many caches: hash the name only
        return hash(self.user)

    @property
    def max_heart_rate(self) -> int:
        """Return the age-predicted maximum heart rate."""
        return 220 - self.age

    @property
    def bmr_kcal_per_minute(self) -> float:
        """Return the basal metabolic rate per minute (Mifflin-St Jeor)."""
        daily = 10 * self.weight_kg + 625 * self.height_m - 5 * self.age + (-161 if self.female else 5)
        return daily / 1440.0

    def zone_at(self, instant: datetime) -> ZoneInfo:
        """Return the time zone the user is in at `instant`."""
        day = instant.astimezone(UTC).date()
        for trip in self.trips:
            for year in (day.year - 1, day.year):
                first = _safe_date(year, trip.month, trip.day)
                if first <= day < first + timedelta(days=trip.days):
                    return _zone(trip.zone)
        return _zone(self.home_zone)

    def offset_seconds(self, epoch: int) -> int:
        """Return the user's UTC offset at an epoch second (zones change offset on quarter hours)."""
        return _offset(self, epoch // 900 * 900)


@functools.lru_cache(maxsize=65536)
def _offset(profile: Profile, epoch: int) -> int:
    instant = datetime.fromtimestamp(epoch, UTC)
    offset = profile.zone_at(instant).utcoffset(instant)
    return int(offset.total_seconds()) if offset is not None else 0


def _safe_date(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, 28))


@functools.cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


_DEMO = {
    "alice": dict(home_zone="Europe/Amsterdam", trips=(Trip(7, 12, 10, "America/New_York"),),
                  watch="Pixel Watch 3", phone="Pixel 9", heart_rate_step_seconds=1, resting_heart_rate=56,
                  hrv_ms=48.0, body_fat_percent=24.5, manual_weight=False,
                  workouts=("RUNNING", "RUNNING", "YOGA", "OUTDOOR_BIKE", "STRENGTH_TRAINING"), workout_chance=0.7),
    "bob": dict(home_zone="America/New_York", trips=(Trip(3, 1, 12, "Asia/Tokyo"),),
                watch="Charge 6", phone="Pixel 8", heart_rate_step_seconds=60, resting_heart_rate=63,
                hrv_ms=34.0, body_fat_percent=27.0, manual_weight=True,
                workouts=("WALKING", "WALKING", "SWIMMING_POOL", "WEIGHTLIFTING", "HIKING", "KICKBOXING"),
                workout_chance=0.55),
    "carol": dict(home_zone="Asia/Kolkata", trips=(Trip(12, 20, 14, "Australia/Sydney"),),
                  watch="Charge 6", phone=None, heart_rate_step_seconds=60, resting_heart_rate=59,
                  hrv_ms=52.0, body_fat_percent=22.0, manual_weight=True,
                  workouts=("HIIT", "DANCING", "YOGA", "RUNNING"), workout_chance=0.6),
}


@functools.cache
def profile_of(user: str) -> Profile:
    """Return the wearer profile of a sandbox user (other users get bob's habits and their own body figures)."""
    demo: DemoUser | None = find_user(user)
    habits = _DEMO.get(user, _DEMO["bob"])
    return Profile(
        user=user, seed=wearer_seed(user), age=demo.age if demo else 40, weight_kg=demo.weight_kg if demo else 75.0,
        height_m=demo.height_m if demo else 1.75, female=(demo.biological_sex == "female") if demo else False,
        **habits)  # type: ignore[arg-type]
