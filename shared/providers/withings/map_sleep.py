"""Withings `getsummary` rows -> sleep events and their sleep score (pure).

Reference: docs/providers/withings.md 4.4. A row is one sleep from `startdate` to `enddate`;
durations are seconds, `sleep_efficiency` a 0-1 ratio (a percentage here), heart and breathing
rates per minute. Imported nights carry `asleepduration` instead of light, deep and REM.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from shared.contract.records import EVENT_PREFIX, Event, Point, Record
from shared.providers.withings.map_values import (
    instant,
    mapping,
    number,
    offset_at,
    packets,
    positive,
    record_id,
    series,
    zone,
)

SLEEP_TYPE = EVENT_PREFIX + "sleep"
SLEEP_SCORE = series("sleep_score", "score", integer=True)
DEVICES = {16: "tracker", 32: "sleep analyzer"}
# Withings field -> Personicle sleep parameter (integers).
DURATIONS = (("total_timeinbed", "time_in_bed"), ("wakeupduration", "awake_duration"),
             ("lightsleepduration", "light_sleep_duration"), ("deepsleepduration", "deep_sleep_duration"),
             ("remsleepduration", "rem_sleep_duration"), ("sleep_latency", "latency"))
DATA_FIELDS = ("total_timeinbed,total_sleep_time,asleepduration,lightsleepduration,remsleepduration,"
               "deepsleepduration,sleep_efficiency,sleep_latency,wakeup_latency,wakeupduration,wakeupcount,"
               "waso,nb_rem_episodes,out_of_bed_count,hr_average,hr_min,hr_max,rr_average,rr_min,rr_max,"
               "breathing_disturbances_intensity,snoring,snoringepisodecount,sleep_score")


def sleep_start(row: Mapping[str, Any]) -> datetime | None:
    """Return a sleep's start instant (what windows keep it by)."""
    return instant(row.get("startdate"))


def _event(row: Mapping[str, Any], individual_id: str, source: str) -> Event | None:
    start, end = sleep_start(row), instant(row.get("enddate"))
    if start is None or end is None or end < start:
        return None
    data = mapping(row.get("data"))
    found_zone = zone(row.get("timezone"))
    parameters: dict[str, Any] = {"duration": int((end - start).total_seconds())}
    asleep = number(data.get("total_sleep_time"))
    if asleep is None:
        asleep = number(data.get("asleepduration"))
    efficiency = number(data.get("sleep_efficiency"))
    optional: dict[str, Any] = {
        "utc_offset": offset_at(found_zone, start),
        "time_zone": found_zone.key if found_zone else None,
        "provider_record_id": record_id(row.get("id")),
        "source_device": DEVICES.get(row.get("model")),  # type: ignore[arg-type]
        "asleep_duration": int(asleep) if asleep is not None and asleep >= 0 else None,
        "efficiency": round(efficiency * 100, 2) if efficiency is not None and 0 <= efficiency <= 1 else None,
        "average_heart_rate": positive(data.get("hr_average")),
        "lowest_heart_rate": int(round(found)) if (found := positive(data.get("hr_min"))) is not None else None,
        "average_breath": positive(data.get("rr_average")),
    }
    for field_name, parameter in DURATIONS:
        value = number(data.get(field_name))
        if value is not None and value >= 0:
            optional[parameter] = int(round(value))
    parameters.update({key: value for key, value in optional.items() if value is not None})
    return Event(individual_id, start, end, SLEEP_TYPE, "Sleep", source, parameters)


def map_sleep(rows: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Record]:
    """Return the sleep events of the rows, then a packet of their sleep scores (stamped at the wake-up)."""
    records: list[Record] = []
    scores = []
    for row in map(mapping, rows):
        event = _event(row, individual_id, source)
        if event is None:
            continue
        records.append(event)
        score = SLEEP_SCORE.value(positive(mapping(row.get("data")).get("sleep_score")))
        if score is not None and score <= 100:
            scores.append(Point(event.end_time, score))
    records.extend(packets({SLEEP_SCORE: scores}, individual_id, source))
    return records
