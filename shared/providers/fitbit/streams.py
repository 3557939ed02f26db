"""The `fitbit` streams over the Google Health API, declared for the generic download engine.

Request kind per type (docs/providers/fitbit.md 3.4-3.8, 4.1, 8):
    reconcile  every type that has it: one de-duplicated stream across phone and watch, so two
               devices counting the same steps are not summed; pageSize 10000 (25 for sessions)
    rollUp     total-calories (no data points, only rollups): 900 s windows, 14-day ranges
    list       the sleep fallback only (newest first, documented), when sleep filters are refused
Windows: list and reconcile have no documented maximum filter range. Per-minute series (steps,
distance, active energy, heart rate) get windows of 10000 minutes: a window then holds at most one
full page per sample each minute, so a year costs the 53 calls of section 8, the engine commits
its cursor after every call, and a 1 Hz heart rate (60 pages a window, within 1% of the minimum)
still finishes a window inside one job's time budget. Sparse types get a year per window, which
is ceil(points / page size) calls, the section 8 minimum.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from functools import partial

from shared.clock import UTC
from shared.contract.records import Record
from shared.errors import ProviderRejected
from shared.providers.fitbit import catalogue as types
from shared.providers.fitbit import map_series as series
from shared.providers.fitbit.catalogue import DataType
from shared.providers.fitbit.map_exercise import exercise_start, map_exercise
from shared.providers.fitbit.map_sleep import map_sleep, sleep_end
from shared.providers.fitbit.map_values import data_points, next_page_token
from shared.providers.fitbit.paging import Continuation, cut, decode, encode
from shared.providers.fitbit.queries import (
    LIST_PAGE_SIZE,
    SESSION_PAGE_SIZE,
    data_points_url,
    date_filter,
    list_params,
    physical_filter,
    rollup_body,
    widened_civil_filter,
)
from shared.sync.streams import Page, Stream, StreamContext

YEAR_WINDOW = timedelta(days=366)
PAGE_OF_MINUTES = timedelta(minutes=LIST_PAGE_SIZE)  # one minute per point: one full page per window
ROLLUP_SHORT_RANGE = timedelta(days=14)  # heart-rate, total-calories, active-minutes, calories-in-zone (3.7)
TOTAL_CALORIES_WINDOW_SECONDS = 900  # quarter hours line up with every UTC offset in use
_NOON = timedelta(hours=12)
_DONE = Page((), None)


def fetch_series(ctx: StreamContext, start: datetime, end: datetime, token: str | None, *,
                 data_type: DataType, spec: series.SeriesSpec, page_size: int = LIST_PAGE_SIZE) -> Page:
    """Read one reconcile page of an interval or sample type filtered on its physical time."""
    current = decode(token)
    lower, upper = current.bounds(start, end)
    if lower >= upper:
        return _DONE
    params = list_params(physical_filter(data_type.physical_member(), lower, upper), page_size,
                         current.provider_token)
    body = ctx.api.get_json(data_points_url(ctx.base_url, data_type, "reconcile"), params)
    points = series.series_points(spec, data_points(body))
    kept, following = cut(points, [series.point_time(p) for p in points], next_page_token(body), current)
    return Page(_packets(ctx, spec, kept), encode(following))


def fetch_daily(ctx: StreamContext, start: datetime, end: datetime, token: str | None, *,
                data_type: DataType, spec: series.SeriesSpec) -> Page:
    """Read one reconcile page of a daily type: the dates whose noon-UTC stamp lies in [start, end)."""
    current = decode(token)
    first, stop = _stamped_date(start), _stamped_date(end)
    if first >= stop:
        return _DONE  # no stamp falls in a window this short; a date range must not be empty
    params = list_params(date_filter(f"{data_type.filter_prefix}.date", first, stop), LIST_PAGE_SIZE,
                         current.provider_token)
    body = ctx.api.get_json(data_points_url(ctx.base_url, data_type, "reconcile"), params)
    points = series.in_window(series.series_points(spec, data_points(body)), start, end)
    return Page(_packets(ctx, spec, points), _provider_next(body, current))


def fetch_rollup(ctx: StreamContext, start: datetime, end: datetime, token: str | None, *,
                 data_type: DataType, spec: series.SeriesSpec, window_seconds: int) -> Page:
    """Read one rollUp page: windows of `window_seconds` from `start`, the last truncated at `end`."""
    current = decode(token)
    if start >= end:
        return _DONE
    body = ctx.api.post_json(data_points_url(ctx.base_url, data_type, "rollUp"),
                             rollup_body(start, end, window_seconds, current.provider_token))
    points = series.series_points(spec, data_points(body, "rollupDataPoints"))
    return Page(_packets(ctx, spec, points), _provider_next(body, current))


def fetch_exercise(ctx: StreamContext, start: datetime, end: datetime, token: str | None) -> Page:
    """Read one reconcile page of exercise sessions starting in [start, end).

    Exercise accepts only the civil start filter (3.5), so the request is widened by the largest
    UTC offset and sessions are kept by their physical start.
    """
    current = decode(token)
    if start >= end:
        return _DONE
    params = list_params(widened_civil_filter("exercise.interval.civil_start_time", start, end),
                         SESSION_PAGE_SIZE, current.provider_token)
    body = ctx.api.get_json(data_points_url(ctx.base_url, types.EXERCISE, "reconcile"), params)
    items = [p for p in data_points(body) if _within(exercise_start(p), start, end)]
    return Page(map_exercise(items, ctx.individual_id, ctx.source), _provider_next(body, current))


def fetch_sleep(ctx: StreamContext, start: datetime, end: datetime, token: str | None) -> Page:
    """Read one page of sleep sessions ending in [start, end).

    First the documented `sleep.interval.end_time` filter on reconcile. One report has sleep
    refusing every filter (3.5, UNCERTAIN): a 400 there switches the window to unfiltered list
    paging, newest first, which stops at the first page whose oldest session ends before `start`.
    """
    current = decode(token)
    if start >= end:
        return _DONE
    if current.unfiltered:
        return _sleep_unfiltered(ctx, start, end, current)
    member = "sleep.interval.end_time"
    params = list_params(physical_filter(member, start, end), SESSION_PAGE_SIZE, current.provider_token)
    try:
        body = ctx.api.get_json(data_points_url(ctx.base_url, types.SLEEP, "reconcile"), params)
    except ProviderRejected as error:
        if current.provider_token is not None or error.status != 400:
            raise
        return Page((), encode(Continuation(unfiltered=True)))
    items = [p for p in data_points(body) if _within(sleep_end(p), start, end)]
    return Page(map_sleep(items, ctx.individual_id, ctx.source), _provider_next(body, current))


def _sleep_unfiltered(ctx: StreamContext, start: datetime, end: datetime, current: Continuation) -> Page:
    params = list_params(None, SESSION_PAGE_SIZE, current.provider_token)
    body = ctx.api.get_json(data_points_url(ctx.base_url, types.SLEEP), params)
    items = data_points(body)
    ends = [found for found in map(sleep_end, items) if found is not None]
    provider_next = next_page_token(body)
    if not ends or min(ends) < start:
        provider_next = None  # newest first: every later page ends before the window
    # Mapped as reconcile would give them (no dataSource), so both paths produce identical events.
    kept = [{k: v for k, v in p.items() if k != "dataSource"} for p in items if _within(sleep_end(p), start, end)]
    following = Continuation(provider_token=provider_next, unfiltered=True) if provider_next else None
    return Page(map_sleep(kept, ctx.individual_id, ctx.source), encode(following))


def _packets(ctx: StreamContext, spec: series.SeriesSpec,
             points: Sequence[series.SeriesPoint]) -> tuple[Record, ...]:
    found = series.packet(spec, ctx.individual_id, ctx.source, points)
    return (found,) if found is not None else ()


def _provider_next(body: object, current: Continuation) -> str | None:
    provider_next = next_page_token(body)
    if provider_next is None:
        return None
    return encode(Continuation(current.lower, current.upper, provider_next, current.unfiltered))


def _within(value: datetime | None, start: datetime, end: datetime) -> bool:
    return value is not None and start <= value < end


def _stamped_date(value: datetime) -> date:
    """Return the first date whose noon-UTC stamp is at or after `value`."""
    shifted = value.astimezone(UTC) - _NOON
    day = shifted.date()
    return day if shifted == datetime(day.year, day.month, day.day, tzinfo=UTC) else day + timedelta(days=1)


def _stream(name: str, data_type: DataType, window: timedelta, fetch: Callable[..., Page],
            description: str) -> Stream:
    return Stream(name=name, scopes=data_type.scopes, max_window=window, fetch_page=fetch,
                  description=description, tags=(data_type.path_id,))


def _series(name: str, data_type: DataType, spec: series.SeriesSpec, description: str,
            window: timedelta = YEAR_WINDOW) -> Stream:
    fetch = fetch_daily if data_type.kind == "daily" else fetch_series
    return _stream(name, data_type, window, partial(fetch, data_type=data_type, spec=spec), description)


STREAMS: tuple[Stream, ...] = (
    _series("steps", types.STEPS, series.STEPS, "Steps per minute (reconciled)", PAGE_OF_MINUTES),
    _series("distance", types.DISTANCE, series.DISTANCE, "Distance per minute, metres (reconciled)",
            PAGE_OF_MINUTES),
    _series("heart_rate", types.HEART_RATE, series.HEART_RATE, "Every heart-rate sample (reconciled)",
            PAGE_OF_MINUTES),
    _series("resting_heart_rate", types.RESTING_HEART_RATE, series.RESTING_HEART_RATE,
            "Daily resting heart rate, stamped at 12:00 UTC of its local date"),
    _series("heart_rate_variability", types.HEART_RATE_VARIABILITY, series.HEART_RATE_VARIABILITY,
            "Heart-rate variability (RMSSD) samples"),
    _series("oxygen_saturation", types.OXYGEN_SATURATION, series.OXYGEN_SATURATION, "SpO2 samples"),
    _series("respiratory_rate", types.RESPIRATORY_RATE, series.RESPIRATORY_RATE,
            "Breathing rate of each sleep (full-sleep average)"),
    _series("active_energy", types.ACTIVE_ENERGY, series.ACTIVE_ENERGY, "Active energy per minute, kcal",
            PAGE_OF_MINUTES),
    _stream("total_calories", types.TOTAL_CALORIES, ROLLUP_SHORT_RANGE,
            partial(fetch_rollup, data_type=types.TOTAL_CALORIES, spec=series.TOTAL_CALORIES,
                    window_seconds=TOTAL_CALORIES_WINDOW_SECONDS),
            "Total energy (basal included) per quarter hour, kcal"),
    _series("active_zone_minutes", types.ACTIVE_ZONE_MINUTES, series.ACTIVE_ZONE_MINUTES,
            "Active zone minutes per minute"),
    _series("weight", types.WEIGHT, series.WEIGHT, "Body weight, kg"),
    _series("body_fat", types.BODY_FAT, series.BODY_FAT, "Body fat, percent"),
    _stream("sleep", types.SLEEP, YEAR_WINDOW, fetch_sleep, "Sleep sessions and their stages"),
    _stream("exercise", types.EXERCISE, YEAR_WINDOW, fetch_exercise, "Exercise sessions"),
)
