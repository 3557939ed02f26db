"""The `oura` streams over Oura API v2, declared for the generic download engine.

Reference: docs/providers/oura.md 2.4 (scopes), 3.1 (ranges), 4 (collections), 9 (call budget).
Oura documents no maximum range, so every stream reads a year per request: a 365-day backfill costs
one call per collection plus Oura's extra pages, the minimum of section 9 (the recommended plan of
90-day and 30-day windows would cost 5 calls per collection and 13 for heart rate). Should Oura
refuse a long range, the fetch hook falls back to those windows by itself (fetch.py).

Scopes: a stream syncs when any one of its scopes was granted. SpO2 is `spo2` or `spo2Daily`; the
2026 scopes `stress` and `heart_health` are listed next to `daily`, which covered those collections
before: a 403 for a collection outside the grant skips that stream and is recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from shared.providers.oura.fetch import Mapper, documents_collection, fetch_documents, fetch_heartrate
from shared.providers.oura.map_daily import (
    CARDIOVASCULAR_AGE,
    DAILY_ACTIVITY,
    DAILY_READINESS,
    DAILY_RESILIENCE,
    DAILY_SLEEP,
    DAILY_SPO2,
    DAILY_STRESS,
    VO2_MAX_SPEC,
    DailySpec,
    map_daily,
)
from shared.providers.oura.map_sleep import map_sleep_periods, sleep_end
from shared.providers.oura.map_workouts import map_sessions, map_workouts, workout_start
from shared.sync.streams import Stream

YEAR_WINDOW = timedelta(days=366)
Anchor = Callable[[Mapping[str, Any]], datetime | None]
DAILY = ("daily",)
STRESS = ("stress", "daily")
HEART_HEALTH = ("heart_health", "daily")


def _documents(name: str, scopes: tuple[str, ...], collection: str, anchor: Anchor, mapper: Mapper,
               description: str, *, neighbours: bool = False) -> Stream:
    declared = documents_collection(collection, anchor, mapper, neighbours=neighbours)
    return Stream(name=name, scopes=scopes, max_window=YEAR_WINDOW,
                  fetch_page=partial(fetch_documents, collection=declared), description=description,
                  tags=(collection,))


def _daily(name: str, scopes: tuple[str, ...], spec: DailySpec, description: str) -> Stream:
    return _documents(name, scopes, spec.collection, spec.anchor, partial(map_daily, spec), description,
                      neighbours=True)


STREAMS: tuple[Stream, ...] = (
    Stream(name="heartrate", scopes=("heartrate",), max_window=YEAR_WINDOW, fetch_page=fetch_heartrate,
           description="Heart-rate samples (5-minute and denser awake/workout rows)", tags=("heartrate",)),
    _documents("sleep", DAILY, "sleep", sleep_end, map_sleep_periods,
               "Sleep periods (main sleep and naps) with stages and their 5-minute heart rate and HRV"),
    _daily("daily_sleep", DAILY, DAILY_SLEEP, "Daily sleep score"),
    _daily("daily_readiness", DAILY, DAILY_READINESS, "Daily readiness score and temperature deviation"),
    _daily("daily_activity", DAILY, DAILY_ACTIVITY,
           "Daily steps, calories, walking-equivalent distance and MET-minutes; per-minute MET"),
    _documents("workout", ("workout",), "workout", workout_start, map_workouts, "Workouts"),
    _documents("session", ("session",), "session", workout_start, map_sessions,
               "Guided and unguided sessions with their heart rate and HRV"),
    _daily("daily_spo2", ("spo2", "spo2Daily"), DAILY_SPO2, "Nightly SpO2 average and breathing disturbance index"),
    _daily("daily_stress", STRESS, DAILY_STRESS, "Daily high-stress and high-recovery time and day summary"),
    _daily("daily_resilience", ("stress", "heart_health", "daily"), DAILY_RESILIENCE,
           "Daily resilience level and contributors"),
    _daily("daily_cardiovascular_age", HEART_HEALTH, CARDIOVASCULAR_AGE,
           "Cardiovascular age and pulse wave velocity"),
    _daily("vo2_max", HEART_HEALTH, VO2_MAX_SPEC, "VO2 max estimates"),
)
