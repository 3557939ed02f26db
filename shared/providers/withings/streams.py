"""The `withings` streams, declared for the generic download engine.

Reference: docs/providers/withings.md 2.3 (scopes), 3 (paging and ranges), 4 (actions), 7 (call budget).
No maximum range is documented for the list actions, so their window is a year: a 365-day backfill
costs one call per stream plus Withings' extra pages, the documented minimum. Sleep `get` and
intraday activity cover at most 24 hours a call and take no `lastupdate`: 365 calls a year each,
and an incremental sync reads the engine's one-day windows from the cursor minus the re-read
overlap up to now (section 7).
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from shared.providers.withings.fetch import Action, fetch_rows
from shared.providers.withings.map_activity import DATA_FIELDS as ACTIVITY_FIELDS
from shared.providers.withings.map_activity import day_start, map_activity
from shared.providers.withings.map_intraday import DATA_FIELDS as INTRADAY_FIELDS
from shared.providers.withings.map_intraday import map_intraday, sample_start, samples
from shared.providers.withings.map_measures import MEASURE_TYPES, REAL_MEASURES, group_time, map_measures
from shared.providers.withings.map_sleep import DATA_FIELDS as SLEEP_FIELDS
from shared.providers.withings.map_sleep import map_sleep, sleep_start
from shared.providers.withings.map_sleep_series import DATA_FIELDS as SERIES_FIELDS
from shared.providers.withings.map_sleep_series import map_sleep_series, segment_start
from shared.providers.withings.map_workouts import DATA_FIELDS as WORKOUT_FIELDS
from shared.providers.withings.map_workouts import map_workouts, workout_start
from shared.sync.streams import Stream

YEAR_WINDOW = timedelta(days=366)
METRICS = ("user.metrics",)
ACTIVITY = ("user.activity",)

MEASURES = Action("/measure", "getmeas", False, "measuregrps", group_time, map_measures,
                  {"category": str(REAL_MEASURES), "meastypes": ",".join(str(t) for t in MEASURE_TYPES)})
DAILY_ACTIVITY = Action("/v2/measure", "getactivity", True, "activities", day_start, map_activity,
                        {"data_fields": ACTIVITY_FIELDS})
WORKOUTS = Action("/v2/measure", "getworkouts", True, "series", workout_start, map_workouts,
                  {"data_fields": WORKOUT_FIELDS})
SLEEP = Action("/v2/sleep", "getsummary", True, "series", sleep_start, map_sleep, {"data_fields": SLEEP_FIELDS})
SLEEP_SERIES = Action("/v2/sleep", "get", False, "series", segment_start, map_sleep_series,
                      {"data_fields": SERIES_FIELDS}, lastupdate=False)
INTRADAY = Action("/v2/measure", "getintradayactivity", False, "series", sample_start, map_intraday,
                  {"data_fields": INTRADAY_FIELDS}, lastupdate=False, unpack=samples)
DAY_WINDOW = timedelta(days=1)  # sleep `get` and intraday activity cover at most 24 hours a call (3.2)


def _stream(name: str, scopes: tuple[str, ...], action: Action, description: str) -> Stream:
    return Stream(name=name, scopes=scopes, max_window=YEAR_WINDOW, fetch_page=partial(fetch_rows, action=action),
                  description=description, tags=(action.action,))


STREAMS: tuple[Stream, ...] = (
    _stream("measures", METRICS, MEASURES,
            "Weight and body composition, blood pressure, heart pulse, SpO2, temperatures, PWV, VO2 max"),
    _stream("activity", ACTIVITY, DAILY_ACTIVITY, "Daily steps, distance, floors, active time, calories, heart rate"),
    _stream("workouts", ACTIVITY, WORKOUTS, "Workouts"),
    _stream("sleep", ACTIVITY, SLEEP, "Sleep summaries with their sleep score"),
    Stream(name="sleep_series", scopes=ACTIVITY, max_window=DAY_WINDOW,
           fetch_page=partial(fetch_rows, action=SLEEP_SERIES), tags=("get",),
           description="Sleep stages with minute heart rate and breathing rate (one call per day)"),
    Stream(name="intraday_activity", scopes=ACTIVITY, max_window=DAY_WINDOW,
           fetch_page=partial(fetch_rows, action=INTRADAY), tags=(INTRADAY.action,),
           description="Minute steps, distance, active calories and floors, heart rate and SpO2 (one call per day)"),
)
