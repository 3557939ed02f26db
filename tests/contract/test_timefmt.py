"""Contract time strings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from shared.contract.timefmt import WIRE_TIME, format_time, format_times

UTC = timezone.utc


def test_format_time_is_utc_wall_clock_without_offset_or_fraction():
    local = datetime(2026, 7, 1, 2, 30, 15, 999999, tzinfo=ZoneInfo("Europe/Berlin"))
    assert format_time(local) == "2026-07-01 00:30:15"
    assert WIRE_TIME.fullmatch(format_time(local))


def test_format_time_refuses_naive():
    with pytest.raises(ValueError):
        format_time(datetime(2026, 1, 1))


def test_format_times_matches_strftime_across_minutes_days_and_years():
    start = datetime(2025, 12, 31, 23, 58, 30, 500000, tzinfo=UTC)
    times = [start + timedelta(seconds=7 * i) for i in range(100)]
    times += [datetime(2026, 6, 1, 12, tzinfo=ZoneInfo("Asia/Kolkata")), datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC)]
    assert format_times(times) == [t.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") for t in times]
