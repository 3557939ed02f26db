"""Oura `workout` and `session` documents -> exercise and session events (pure).

Shapes: docs/providers/oura.md 4.6 (workout), 4.7 (session), 5.4. `activity` is a free
vocabulary of lower-case names (`walking`, `running`, `cycling`, ...): names with a Personicle
exercise type map to it, every other one to the generic exercise type with the raw name kept in
`activity`. Sessions of type `breathing` and `meditation` map to those exercise types, the others
(`nap`, `relaxation`, `rest`, `body_status`) to the session event type. A session's heart rate and
HRV samples (5-second items; this heart rate is not in the `heartrate` collection) become points.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from shared.contract.records import EVENT_PREFIX, Event, Record
from shared.providers.oura.map_values import (
    HEART_RATE_VARIABILITY,
    HEARTRATE,
    Series,
    SeriesPoint,
    local_time,
    number,
    packets,
    sample_points,
    text,
)

EXERCISE_TYPE = EVENT_PREFIX + "exercise"
SESSION_TYPE = EVENT_PREFIX + "session"
_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "running": ("Running", ("running", "trail_running", "treadmill_running", "jogging")),
    "walking": ("Walking", ("walking", "nordic_walking")),
    "hiking": ("Hiking", ("hiking",)),
    "cycling": ("Cycling", ("cycling", "biking", "indoor_cycling", "mountain_biking", "spinning")),
    "swimming": ("Swimming", ("swimming",)),
    "strength_training": ("Strength training", ("strength_training", "functional_training", "circuit_training")),
    "weightlifting": ("Weightlifting", ("weightlifting",)),
    "yoga": ("Yoga", ("yoga",)),
    "pilates": ("Pilates", ("pilates",)),
    "elliptical": ("Elliptical", ("elliptical",)),
    "rowing": ("Rowing", ("rowing",)),
    "hiit": ("HIIT", ("hiit",)),
    "dancing": ("Dancing", ("dancing", "dance")),
    "tennis": ("Tennis", ("tennis",)),
    "soccer": ("Soccer", ("soccer",)),
    "basketball": ("Basketball", ("basketball",)),
    "golf": ("Golf", ("golf",)),
    "skiing": ("Skiing", ("skiing", "cross_country_skiing", "downhill_skiing")),
    "stair_climbing": ("Stair climbing", ("stair_climbing", "stair_stepper")),
    "meditation": ("Meditation", ("meditation",)),
    "breathing": ("Breathing", ("breathing", "breathwork")),
}
ACTIVITY_KINDS: dict[str, tuple[str, str]] = {
    alias: (f"{EXERCISE_TYPE}.{kind}", name) for kind, (name, aliases) in _KINDS.items() for alias in aliases}
SESSION_KINDS: dict[str, tuple[str, str]] = {
    "breathing": ACTIVITY_KINDS["breathing"],
    "meditation": ACTIVITY_KINDS["meditation"],
    "nap": (SESSION_TYPE, "Nap session"),
    "relaxation": (SESSION_TYPE, "Relaxation session"),
    "rest": (SESSION_TYPE, "Rest session"),
    "body_status": (SESSION_TYPE, "Body status session"),
}
_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")
_SEPARATORS = re.compile(r"[\s\-]+")


def workout_start(document: Mapping[str, Any]) -> datetime | None:
    """Return a workout's or session's `start_datetime` in UTC (what windows keep them by)."""
    found = local_time(document.get("start_datetime"))
    return found[0] if found else None


def activity_kind(activity: str | None) -> tuple[str, str]:
    """Return (event type, event name) of an Oura workout `activity`."""
    if not activity:
        return EXERCISE_TYPE, "Exercise"
    key = _SEPARATORS.sub("_", _CAMEL.sub(r"_\1", activity.strip())).lower()
    found = ACTIVITY_KINDS.get(key)
    if found is not None:
        return found
    return EXERCISE_TYPE, key.replace("_", " ").capitalize() or "Exercise"


def map_workouts(documents: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Event]:
    """Return one event per readable workout, in the order given."""
    events = []
    for document in documents:
        found = _times(document)
        if found is None:
            continue
        start, end, parameters = found
        activity = text(document.get("activity"))
        event_type, name = activity_kind(activity)
        if activity is not None:
            parameters["activity"] = activity
        for field, key in (("calories", "calories"), ("distance", "distance")):
            value = number(document.get(field))
            if value is not None:
                parameters[key] = value
        for field, key in (("intensity", "intensity"), ("label", "label"), ("source", "workout_source")):
            value = text(document.get(field))
            if value is not None:
                parameters[key] = value
        events.append(Event(individual_id, start, end, event_type, name, source, parameters))
    return events


def map_sessions(documents: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Record]:
    """Return one event per readable session, then one packet per series of all their samples."""
    records: list[Record] = []
    series: dict[Series, list[SeriesPoint]] = {HEARTRATE: [], HEART_RATE_VARIABILITY: []}
    for document in documents:
        found = _times(document)
        if found is None:
            continue
        start, end, parameters = found
        kind = text(document.get("type"))
        event_type, name = SESSION_KINDS.get(kind or "", (SESSION_TYPE, "Session"))
        if kind is not None:
            parameters["session_type"] = kind
        mood = text(document.get("mood"))
        if mood is not None:
            parameters["mood"] = mood
        records.append(Event(individual_id, start, end, event_type, name, source, parameters))
        series[HEARTRATE].extend(sample_points(HEARTRATE, document.get("heart_rate")))
        series[HEART_RATE_VARIABILITY].extend(sample_points(HEART_RATE_VARIABILITY,
                                                            document.get("heart_rate_variability")))
    records.extend(packets(series, individual_id, source))
    return records


def _times(document: Mapping[str, Any]) -> tuple[datetime, datetime, dict[str, Any]] | None:
    """Return (start, end, common parameters) of a document with readable, ordered times."""
    begin, finish = local_time(document.get("start_datetime")), local_time(document.get("end_datetime"))
    if begin is None or finish is None or finish[0] < begin[0]:
        return None
    (start, offset), (end, end_offset) = begin, finish
    parameters: dict[str, Any] = {"duration": int((end - start).total_seconds()), "utc_offset": offset}
    if end_offset != offset:
        parameters["end_utc_offset"] = end_offset
    for field, key in (("id", "provider_record_id"), ("day", "day")):
        value = text(document.get(field))
        if value is not None:
            parameters[key] = value
    return start, end, parameters
