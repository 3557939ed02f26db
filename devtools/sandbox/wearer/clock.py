"""Time helpers of the wearer model: epoch seconds, UTC days, local wall-clock times, a person-day's zone."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from devtools.sandbox.wearer.profiles import Profile

DAY = 86400


def day_start(day: date) -> int:
    """Return the epoch second of a date's 00:00 UTC."""
    return (day.toordinal() - 719163) * DAY


def utc_day(epoch: int) -> date:
    """Return the UTC date of an epoch second."""
    return date.fromordinal(epoch // DAY + 719163)


def local_epoch(zone: ZoneInfo, day: date, minutes: float) -> int:
    """Return the epoch second of a wall-clock time `minutes` after local midnight of `day`."""
    return int((datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(minutes=minutes)).timestamp())


def person_zone(profile: Profile, day: date) -> ZoneInfo:
    """Return the zone of a person-day: the one the wearer is in at 12:00 UTC of that date."""
    return profile.zone_at(datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc))
