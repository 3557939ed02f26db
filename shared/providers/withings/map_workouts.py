"""Withings `getworkouts` rows -> exercise events (pure).

Reference: docs/providers/withings.md 4.3. `category` is a numeric sport code: codes with a
Personicle exercise type map to it, every other one to the generic exercise type; the raw code
is kept in `activity`. Heart-rate fields of 0 mean "not measured". The row's IANA `timezone`
gives the user's offset at the start.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from shared.contract.records import EVENT_PREFIX, Event, Record
from shared.providers.withings.map_values import (
    instant,
    mapping,
    number,
    offset_at,
    positive,
    record_id,
    zone,
)

EXERCISE_TYPE = EVENT_PREFIX + "exercise"
# Withings sport code -> (Personicle exercise kind, event name) (docs/providers/withings.md 4.3).
CATEGORIES: dict[int, tuple[str, str]] = {
    1: ("walking", "Walking"), 306: ("walking", "Walking"),
    2: ("running", "Running"), 307: ("running", "Running"), 498: ("running", "Running"),
    3: ("hiking", "Hiking"),
    6: ("cycling", "Cycling"), 308: ("cycling", "Cycling"), 523: ("cycling", "Cycling"),
    7: ("swimming", "Swimming"),
    16: ("weightlifting", "Weightlifting"),
    18: ("elliptical", "Elliptical"),
    19: ("pilates", "Pilates"),
    28: ("yoga", "Yoga"),
    187: ("rowing", "Rowing"),
    550: ("hiit", "HIIT"),
    551: ("meditation", "Meditation"),
    560: ("breathing", "Breathing"),
}
DATA_FIELDS = ("calories,intensity,manual_intensity,manual_distance,manual_calories,hr_average,hr_min,hr_max,"
               "hr_zone_0,hr_zone_1,hr_zone_2,hr_zone_3,pause_duration,algo_pause_duration,spo2_average,"
               "steps,distance,elevation,pool_laps,strokes,pool_length")


def workout_start(row: Mapping[str, Any]) -> datetime | None:
    """Return a workout's start instant (what windows keep it by)."""
    return instant(row.get("startdate"))


def _event(row: Mapping[str, Any], individual_id: str, source: str) -> Event | None:
    start, end = workout_start(row), instant(row.get("enddate"))
    if start is None or end is None or end < start:
        return None
    code = row.get("category")
    kind = CATEGORIES.get(code) if type(code) is int else None
    event_type, name = (f"{EXERCISE_TYPE}.{kind[0]}", kind[1]) if kind else (EXERCISE_TYPE, "Exercise")
    data = mapping(row.get("data"))
    found_zone = zone(row.get("timezone"))
    duration = int((end - start).total_seconds())
    parameters: dict[str, Any] = {"duration": duration, "activity": str(code) if type(code) is int else "unknown"}
    optional = {
        "utc_offset": offset_at(found_zone, start),
        "time_zone": found_zone.key if found_zone else None,
        "provider_record_id": record_id(row.get("id")),
        "calories": number(data.get("calories")),
        "distance": number(data.get("distance")),
        "steps": number(data.get("steps")),
        "average_heart_rate": positive(data.get("hr_average")),
    }
    pause = positive(data.get("pause_duration"))
    if pause is not None and pause <= duration:
        optional["active_duration"] = int(duration - pause)
    if optional["steps"] is not None:
        optional["steps"] = int(round(optional["steps"]))
    parameters.update({key: value for key, value in optional.items() if value is not None})
    return Event(individual_id, start, end, event_type, name, source, parameters)


def map_workouts(rows: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Record]:
    """Return the exercise events of the workout rows that have a start and an end."""
    events = (_event(mapping(row), individual_id, source) for row in rows)
    return [event for event in events if event is not None]
