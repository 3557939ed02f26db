"""Oura daily documents -> Personicle datastream packets (pure, no I/O).

Shapes: docs/providers/oura.md 4.2, 4.3, 4.8-4.13 and 5.3. A daily value has a local `day` but
no instant, so it is stamped at 12:00 UTC of that day (`daily_stamp`). Daily activity totals cover
Oura's activity day, 04:00 to 04:00 local from `timestamp`, so they become interval points over it;
the day ends at the next local day's 04:00, which is 23 or 25 hours later on daylight-saving days:
the next day's own `timestamp` gives it when the answer holds that day, else the same offset is
assumed (24 hours). `equivalent_walking_distance` is the distance equivalent of the energy spent
(17,850 m for 15,185 steps in one real answer), not distance covered, so it is not sent.
MET-minutes are the low + medium + high activity ones; the per-minute `met` sample becomes
instant points. Categorical values become documented integer levels.

Each spec also names when a document is final (`anchor`): most are written once the night is
analysed; activity and stress accumulate during their day, so they count only once the day is over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from shared.contract.records import STREAM_PREFIX, DatastreamPacket, IntervalPoint, Point
from shared.providers.oura.map_values import (
    Series,
    SeriesPoint,
    daily_stamp,
    day_of,
    group,
    local_time,
    mapping,
    number,
    packets,
    sample_points,
)

_S = STREAM_PREFIX
SLEEP_SCORE = Series(_S + "sleep_score", "score", integer=True)
READINESS_SCORE = Series(_S + "readiness_score", "score", integer=True)
ACTIVITY_SCORE = Series(_S + "activity_score", "score", integer=True)
SKIN_TEMPERATURE_DEVIATION = Series(_S + "skin_temperature_deviation", "Celsius")
STEPS = Series(_S + "interval.step.count", "count", integer=True)
ACTIVE_CALORIES = Series(_S + "interval.active_calories", "kilo_calories")
TOTAL_CALORIES = Series(_S + "interval.total_calories", "kilo_calories")
MET_MINUTES = Series(_S + "interval.met_minutes", "met_minutes")
MET = Series(_S + "met", "met")
OXYGEN_SATURATION = Series(_S + "oxygen_saturation", "percentage")
BREATHING_DISTURBANCE = Series(_S + "breathing_disturbance_index", "index", integer=True)
STRESS_HIGH = Series(_S + "stress_high", "seconds", integer=True)
RECOVERY_HIGH = Series(_S + "recovery_high", "seconds", integer=True)
STRESS_DAY_SUMMARY = Series(_S + "stress_day_summary", "level", integer=True)
RESILIENCE_LEVEL = Series(_S + "resilience_level", "level", integer=True)
RESILIENCE_SLEEP_RECOVERY = Series(_S + "resilience.sleep_recovery", "score")
RESILIENCE_DAYTIME_RECOVERY = Series(_S + "resilience.daytime_recovery", "score")
RESILIENCE_STRESS = Series(_S + "resilience.stress", "score")
VASCULAR_AGE = Series(_S + "vascular_age", "years", integer=True)
PULSE_WAVE_VELOCITY = Series(_S + "pulse_wave_velocity", "m/s")
VO2_MAX = Series(_S + "vo2_max", "ml/kg/min")

STRESS_LEVELS = {"restored": 1, "normal": 2, "stressful": 3}
RESILIENCE_LEVELS = {"limited": 1, "adequate": 2, "solid": 3, "strong": 4, "exceptional": 5}
ACTIVITY_DAY = timedelta(days=1)
LONGEST_DAY = timedelta(hours=25)
SHORTEST_DAY = timedelta(hours=23)
_ONE_DAY = timedelta(days=1)
Pairs = list[tuple[Series, SeriesPoint]]
DayStarts = Mapping[date, datetime]  # activity-day start (UTC) by local day, from the documents at hand


@dataclass(frozen=True)
class DailySpec:
    """How one Oura daily collection becomes datastream points, and when a document is final."""

    collection: str
    values: Callable[[Mapping[str, Any], date, DayStarts], Pairs]
    anchor: Callable[[Mapping[str, Any]], datetime | None]


def _stamped(document: Mapping[str, Any], day: date, fields: Iterable[tuple[str, Series]]) -> Pairs:
    stamp = daily_stamp(day)
    out: Pairs = []
    for field, series in fields:
        value = series.value(document.get(field))
        if value is not None:
            out.append((series, Point(stamp, value)))
    return out


def _level(table: Mapping[str, int], raw: Any) -> int | None:
    return table.get(raw) if isinstance(raw, str) else None


def _daily_sleep(document: Mapping[str, Any], day: date, starts: DayStarts) -> Pairs:
    return _stamped(document, day, (("score", SLEEP_SCORE),))


def _daily_readiness(document: Mapping[str, Any], day: date, starts: DayStarts) -> Pairs:
    return _stamped(document, day, (("score", READINESS_SCORE), ("temperature_deviation", SKIN_TEMPERATURE_DEVIATION)))


def activity_start(document: Mapping[str, Any]) -> datetime | None:
    """Return the UTC start of a daily activity document's day (04:00 local), or None."""
    found = local_time(document.get("timestamp"))
    return found[0] if found else None


def activity_interval(document: Mapping[str, Any], starts: DayStarts) -> tuple[datetime, datetime] | None:
    """Return the UTC [start, end) of a daily activity document's day, 04:00 to the next day's 04:00 local.

    The end is the next local day's start from `starts` when known (23 or 25 hours on a
    daylight-saving day), else 24 hours later (the same offset).
    """
    start = activity_start(document)
    day = day_of(document.get("day"))
    if start is None:
        return None
    following = starts.get(day + _ONE_DAY) if day else None
    if following is not None and SHORTEST_DAY <= following - start <= LONGEST_DAY:
        return start, following
    return start, start + ACTIVITY_DAY


def _daily_activity(document: Mapping[str, Any], day: date, starts: DayStarts) -> Pairs:
    out = _stamped(document, day, (("score", ACTIVITY_SCORE),))
    interval = activity_interval(document, starts)
    if interval is not None:
        start, end = interval
        for field, series in (("steps", STEPS), ("active_calories", ACTIVE_CALORIES),
                              ("total_calories", TOTAL_CALORIES)):
            value = series.value(document.get(field))
            if value is not None and value >= 0:
                out.append((series, IntervalPoint(start, end, value)))
        parts = [number(document.get(f"{level}_activity_met_minutes")) for level in ("low", "medium", "high")]
        if any(part is not None for part in parts):
            out.append((MET_MINUTES, IntervalPoint(start, end, sum(part or 0 for part in parts))))
    out.extend((MET, point) for point in sample_points(MET, document.get("met")))
    return out


def _daily_spo2(document: Mapping[str, Any], day: date, starts: DayStarts) -> Pairs:
    stamp = daily_stamp(day)
    out: Pairs = []
    average = OXYGEN_SATURATION.value(mapping(document.get("spo2_percentage")).get("average"))
    if average is not None and average > 0:
        out.append((OXYGEN_SATURATION, Point(stamp, average)))
    return out + _stamped(document, day, (("breathing_disturbance_index", BREATHING_DISTURBANCE),))


def _daily_stress(document: Mapping[str, Any], day: date, starts: DayStarts) -> Pairs:
    out = _stamped(document, day, (("stress_high", STRESS_HIGH), ("recovery_high", RECOVERY_HIGH)))
    level = _level(STRESS_LEVELS, document.get("day_summary"))
    if level is not None:
        out.append((STRESS_DAY_SUMMARY, Point(daily_stamp(day), level)))
    return out


def _daily_resilience(document: Mapping[str, Any], day: date, starts: DayStarts) -> Pairs:
    out: Pairs = []
    level = _level(RESILIENCE_LEVELS, document.get("level"))
    if level is not None:
        out.append((RESILIENCE_LEVEL, Point(daily_stamp(day), level)))
    contributors = mapping(document.get("contributors"))
    return out + _stamped(contributors, day, (("sleep_recovery", RESILIENCE_SLEEP_RECOVERY),
                                              ("daytime_recovery", RESILIENCE_DAYTIME_RECOVERY),
                                              ("stress", RESILIENCE_STRESS)))


def _cardiovascular_age(document: Mapping[str, Any], day: date, starts: DayStarts) -> Pairs:
    return _stamped(document, day, (("vascular_age", VASCULAR_AGE), ("pulse_wave_velocity", PULSE_WAVE_VELOCITY)))


def _vo2_max(document: Mapping[str, Any], day: date, starts: DayStarts) -> Pairs:
    return _stamped(document, day, (("vo2_max", VO2_MAX),))


def day_anchor(document: Mapping[str, Any]) -> datetime | None:
    """Return when a daily document counts: the stamp of its day."""
    day = day_of(document.get("day"))
    return daily_stamp(day) if day else None


def day_over_anchor(document: Mapping[str, Any]) -> datetime | None:
    """Return when a document accumulating over its day counts: once that local day is surely over.

    An activity day lasts at most 25 hours (the day clocks go back), so it counts 25 hours after its start.
    """
    start = activity_start(document)
    if start is not None:
        return start + LONGEST_DAY
    day = day_of(document.get("day"))
    return daily_stamp(day + _ONE_DAY) if day else None  # 12:00 UTC of the next day: every zone's day is over


DAILY_SLEEP = DailySpec("daily_sleep", _daily_sleep, day_anchor)
DAILY_READINESS = DailySpec("daily_readiness", _daily_readiness, day_anchor)
DAILY_ACTIVITY = DailySpec("daily_activity", _daily_activity, day_over_anchor)
DAILY_SPO2 = DailySpec("daily_spo2", _daily_spo2, day_anchor)
DAILY_STRESS = DailySpec("daily_stress", _daily_stress, day_over_anchor)
DAILY_RESILIENCE = DailySpec("daily_resilience", _daily_resilience, day_anchor)
CARDIOVASCULAR_AGE = DailySpec("daily_cardiovascular_age", _cardiovascular_age, day_anchor)
VO2_MAX_SPEC = DailySpec("vO2_max", _vo2_max, day_anchor)
DAILY_SPECS = (DAILY_SLEEP, DAILY_READINESS, DAILY_ACTIVITY, DAILY_SPO2, DAILY_STRESS, DAILY_RESILIENCE,
               CARDIOVASCULAR_AGE, VO2_MAX_SPEC)


def day_starts(documents: Iterable[Mapping[str, Any]]) -> dict[date, datetime]:
    """Return the activity-day start of every document with a `day` and a `timestamp`, by day."""
    starts = {}
    for document in documents:
        day, start = day_of(document.get("day")), activity_start(document)
        if day is not None and start is not None:
            starts[day] = start
    return starts


def map_daily(spec: DailySpec, documents: Sequence[Mapping[str, Any]], individual_id: str,
              source: str, neighbours: Iterable[Mapping[str, Any]] = ()) -> list[DatastreamPacket]:
    """Return one packet per series of the readable documents (documents without a `day` are skipped).

    `neighbours` are the other documents of the same answer: the next day's start ends an activity day.
    """
    starts = day_starts([*neighbours, *documents])
    pairs: Pairs = []
    for document in documents:
        day = day_of(document.get("day"))
        if day is not None:
            pairs.extend(spec.values(document, day, starts))
    return packets(group(pairs), individual_id, source)
