"""Time helpers of the synthetic data: epoch seconds, UTC days, local wall-clock times."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

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
