"""A demo user's raw Google Fit data points of one type on one UTC day, and `datasets.get` pages.

Points are (start ns, end ns, value slots): minute types have one point per minute with data, the
daily BMR one sample at 00:00 UTC, manual readings and sleep stages come from the person-day plans,
activity segments are the runs of equal minute activities. Only data in [history start, now) exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from devtools.sandbox.providers.google_fit.days import MINUTE_MS, f32, fit_day
from devtools.sandbox.providers.google_fit.minutes import Minutes, day_minutes, day_start, utc_day
from devtools.sandbox.providers.google_fit.types import MEASURED, FitType

RawPoint = tuple[int, int, tuple]  # (start ns, end ns, value slots)
NS = 1_000_000


def _minute_points(minutes: Minutes, name: str) -> Iterator[RawPoint]:
    start = minutes.start
    if name == "com.google.calories.expended":
        basal = minutes.bmr_kcal / 1440.0
        for index, mkcal in enumerate(minutes.active_mkcal):
            at = start + index * MINUTE_MS
            yield at * NS, (at + MINUTE_MS) * NS, (f32(basal + mkcal / 1000.0),)
        return
    if name == "com.google.activity.segment":
        yield from _segments(minutes)
        return
    series = {"com.google.step_count.delta": minutes.steps, "com.google.distance.delta": minutes.distance_dm,
              "com.google.active_minutes": minutes.move, "com.google.heart_minutes": minutes.heart_points,
              "com.google.heart_rate.bpm": minutes.heart, "com.google.speed": minutes.distance_dm}[name]
    for index, value in enumerate(series):
        if not value:
            continue
        at = start + index * MINUTE_MS
        if name == "com.google.heart_rate.bpm":
            yield at * NS, at * NS, (float(value),)
        elif name == "com.google.speed":
            middle = (at + MINUTE_MS // 2) * NS
            yield middle, middle, (f32(value / 10.0 / 60.0),)
        elif name == "com.google.distance.delta":
            yield at * NS, (at + MINUTE_MS) * NS, (f32(value / 10.0),)
        elif name == "com.google.heart_minutes":
            yield at * NS, (at + MINUTE_MS) * NS, (float(value),)
        else:
            yield at * NS, (at + MINUTE_MS) * NS, (value,)


def _segments(minutes: Minutes) -> Iterator[RawPoint]:
    codes = minutes.activity
    first = 0
    for index in range(1, 1441):
        if index == 1440 or codes[index] != codes[first]:
            yield ((minutes.start + first * MINUTE_MS) * NS, (minutes.start + index * MINUTE_MS) * NS,
                   (codes[first],))
            first = index


def day_points(user: str, fit_type: FitType, day: date) -> list[RawPoint]:
    """Return every point of the type attributed to a UTC day (by start), oldest first."""
    name = fit_type.name
    if name == "com.google.calories.bmr":
        return [(day_start(day) * NS, day_start(day) * NS, (f32(day_minutes(user, day).bmr_kcal),))]
    if name in MEASURED or name == "com.google.sleep.segment":
        low, high = day_start(day), day_start(day) + 1440 * MINUTE_MS
        out: list[RawPoint] = []
        for offset in (-1, 0, 1):
            plan = fit_day(user, day + timedelta(days=offset))
            if name == "com.google.sleep.segment":
                out.extend((s.start * NS, s.end * NS, (s.stage,)) for s in plan.segments if low <= s.start < high)
            else:
                out.extend((m.at * NS, m.at * NS, m.values) for m in plan.measurements
                           if m.data_type == name and low <= m.at < high)
        out.sort(key=lambda point: (point[0], point[1]))
        return out
    return list(_minute_points(day_minutes(user, day), name))


def points_between(user: str, fit_type: FitType, first_ms: int, last_ms: int) -> Iterator[RawPoint]:
    """Yield the points starting in [first_ms, last_ms), oldest first."""
    day = utc_day(first_ms)
    while day_start(day) < last_ms:
        for point in day_points(user, fit_type, day):
            if first_ms * NS <= point[0] < last_ms * NS:
                yield point
        day += timedelta(days=1)


def dataset_page(user: str, fit_type: FitType, start_ns: int, end_ns: int, limit: int, before_ns: int | None,
                 history_ms: int, now_ms: int) -> tuple[list[RawPoint], int | None]:
    """Return one `datasets.get` page and the end-time bound of the next page (None: no more).

    Points overlap [start_ns, end_ns] (both inclusive); without a bound the `limit` most recent,
    with one those ending strictly before it (pages walk back in time); each page oldest first.
    A point exists once it has ended, and not before the history start.
    """
    upper = min(end_ns, now_ms * NS - 1, before_ns - 1 if before_ns is not None else end_ns)
    if upper < start_ns:
        return [], None
    found: list[RawPoint] = []
    day, last = utc_day(upper // NS), utc_day(max(start_ns, history_ms * NS) // NS) - timedelta(days=1)
    while day >= last and len(found) <= limit:
        for point in day_points(user, fit_type, day):
            begin, end = point[0], point[1]
            if begin <= end_ns and end >= start_ns and end < now_ms * NS and begin >= history_ms * NS \
                    and (before_ns is None or end < before_ns):
                found.append(point)
        day -= timedelta(days=1)
    found.sort(key=lambda point: (point[1], point[0]), reverse=True)
    page = found[:limit]
    more = len(found) > limit
    page.reverse()
    return page, (page[0][1] if more and page else None)
