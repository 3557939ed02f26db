"""Oura `sleep` periods -> a sleep event per period, stage events, and its 5-minute series (pure).

Shape: docs/providers/oura.md 4.4 and 5.2. Several periods per day are normal: `long_sleep` is
the main sleep, `sleep` a nap, `late_nap` a nap after 18:00 counting to the next day; `deleted`
periods and `rest` periods (false detections the user rejected) are not emitted. Stage events come
from `sleep_phase_5_min` (one character per 5 minutes from `bedtime_start`: 1 deep, 2 light, 3 REM,
4 awake), runs of one stage merged and the last one cut at `bedtime_end`.
The period's `heart_rate` items are 5-minute averages, so they go to the interval stream
`interval.heartrate` (the `heartrate` stream gets Oura's own samples, which cover the night too);
`hrv` items (RMSSD) go to `heart_rate_variability`, stamped at the start of their 5 minutes. Items
are cut at `bedtime_end`. Stage events carry the offset at `bedtime_start`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from shared.contract.records import EVENT_PREFIX, Event, Record
from shared.providers.oura.map_values import (
    HEART_RATE_VARIABILITY,
    SLEEP_HEARTRATE,
    Series,
    SeriesPoint,
    integer,
    local_time,
    mapping,
    number,
    packets,
    sample_points,
    text,
)

SLEEP_TYPE = EVENT_PREFIX + "sleep"
STAGES = {
    "1": (EVENT_PREFIX + "sleep.stage.deep", "Deep sleep"),
    "2": (EVENT_PREFIX + "sleep.stage.light", "Light sleep"),
    "3": (EVENT_PREFIX + "sleep.stage.rem", "REM sleep"),
    "4": (EVENT_PREFIX + "sleep.stage.awake", "Awake"),
}
SKIPPED_TYPES = frozenset({"deleted", "rest"})
PHASE_SECONDS = 300
_INTEGERS = (("time_in_bed", "time_in_bed"), ("total_sleep_duration", "asleep_duration"),
             ("awake_time", "awake_duration"), ("deep_sleep_duration", "deep_sleep_duration"),
             ("light_sleep_duration", "light_sleep_duration"), ("rem_sleep_duration", "rem_sleep_duration"),
             ("latency", "latency"), ("lowest_heart_rate", "lowest_heart_rate"),
             ("restless_periods", "restless_periods"))
_NUMBERS = (("efficiency", "efficiency"), ("average_heart_rate", "average_heart_rate"),
            ("average_hrv", "average_hrv"), ("average_breath", "average_breath"))
_READINESS = (("temperature_deviation", "temperature_deviation"),
              ("temperature_trend_deviation", "temperature_trend_deviation"))


def sleep_end(document: Mapping[str, Any]) -> datetime | None:
    """Return a period's `bedtime_end` in UTC (what windows keep periods by)."""
    found = local_time(document.get("bedtime_end"))
    return found[0] if found else None


def map_sleep_periods(documents: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Record]:
    """Return the events of every readable period, then one packet per series of all of them."""
    records: list[Record] = []
    series: dict[Series, list[SeriesPoint]] = {SLEEP_HEARTRATE: [], HEART_RATE_VARIABILITY: []}
    for document in documents:
        if document.get("type") in SKIPPED_TYPES:
            continue
        events = _period_events(document, individual_id, source)
        if not events:
            continue
        records.extend(events)
        end = events[0].end_time
        series[SLEEP_HEARTRATE].extend(sample_points(SLEEP_HEARTRATE, document.get("heart_rate"), interval=True,
                                                     until=end))
        series[HEART_RATE_VARIABILITY].extend(sample_points(HEART_RATE_VARIABILITY, document.get("hrv"), until=end))
    records.extend(packets(series, individual_id, source))
    return records


def _period_events(document: Mapping[str, Any], individual_id: str, source: str) -> list[Event]:
    begin, finish = local_time(document.get("bedtime_start")), local_time(document.get("bedtime_end"))
    if begin is None or finish is None or finish[0] <= begin[0]:
        return []
    (start, offset), (end, end_offset) = begin, finish
    common: dict[str, Any] = {"utc_offset": offset}
    record_id = text(document.get("id"))
    if record_id is not None:
        common["provider_record_id"] = record_id
    parameters = {"duration": _seconds(start, end), **common, **_summary(document)}
    if end_offset != offset:
        parameters["end_utc_offset"] = end_offset  # the night crossed a DST or time-zone change
    events = [Event(individual_id, start, end, SLEEP_TYPE, "Sleep", source, parameters)]
    for stage_start, stage_end, code in stage_runs(document.get("sleep_phase_5_min"), start, end):
        event_type, name = STAGES[code]
        events.append(Event(individual_id, stage_start, stage_end, event_type, name, source,
                            {"duration": _seconds(stage_start, stage_end), **common}))
    return events


def _summary(document: Mapping[str, Any]) -> dict[str, Any]:
    kind = text(document.get("type"))
    out: dict[str, Any] = {"main_sleep": kind == "long_sleep"}
    if kind is not None:
        out["sleep_type"] = kind
    day = text(document.get("day"))
    if day is not None:
        out["day"] = day
    for field, name in _INTEGERS:
        value = integer(document.get(field))
        if value is not None:
            out[name] = value
    for field, name in _NUMBERS:
        value = number(document.get(field))
        if value is not None:
            out[name] = value
    readiness = mapping(document.get("readiness"))
    for field, name in _READINESS:
        value = number(readiness.get(field))
        if value is not None:
            out[name] = value
    return out


def stage_runs(phases: Any, start: datetime, end: datetime) -> list[tuple[datetime, datetime, str]]:
    """Return (start, end, code) of each run of one stage in a 5-minute hypnogram, cut at `end`.

    Unknown characters end a run and start none (a gap in the stages).
    """
    if type(phases) is not str or not phases:
        return []
    out = []
    step = timedelta(seconds=PHASE_SECONDS)
    index, count = 0, len(phases)
    while index < count:
        code = phases[index]
        stop = index + 1
        while stop < count and phases[stop] == code:
            stop += 1
        run_start, run_end = start + index * step, min(start + stop * step, end)
        if code in STAGES and run_start < run_end:
            out.append((run_start, run_end, code))
        index = stop
    return out


def _seconds(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds())
