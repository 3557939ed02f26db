"""Google Health `exercise` data points -> one exercise event per session (pure).

Shape: docs/providers/fitbit.md 4.2 (exercise) and the example in 4.3. `exerciseType` is an
enum of ~180 values (Discovery `Exercise.exerciseType`); the ones with a Personicle type map to
it, every other one to the generic exercise type with the raw value in `activity`.
`metricsSummary.distanceMillimeters` is a double (the codelab misspells it `distanceMillimiters`;
both are read).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from shared.contract.records import EVENT_PREFIX, Event
from shared.providers.fitbit.map_values import (
    device_name,
    double,
    duration_seconds,
    int64,
    resource_id,
    timestamp,
    utc_offset,
)

EXERCISE_TYPE = EVENT_PREFIX + "exercise"
_KINDS: dict[str, tuple[str, ...]] = {
    "running": ("RUNNING", "TRAIL_RUN", "TREADMILL", "INCLINE_RUN", "TRACK_AND_FIELD"),
    "walking": ("WALKING", "POWER_WALKING", "NORDIC_WALKING", "TREADMILL_WALK", "INCLINE_WALK",
                "STROLLER_WALK", "WALK_WITH_WEIGHTS"),
    "hiking": ("HIKING", "BACKPACKING", "RUCKING"),
    "cycling": ("BIKING", "OUTDOOR_BIKE", "MOUNTAIN_BIKE", "STATIONARY_BIKE", "SPINNING", "ASSAULT_BIKE",
                "HAND_CYCLING", "ELECTRIC_BIKE"),
    "swimming": ("SWIMMING", "SWIMMING_POOL", "SWIMMING_OPEN_WATER"),
    "strength_training": ("STRENGTH_TRAINING", "FUNCTIONAL_STRENGTH_TRAINING", "BODY_WEIGHT", "CALISTHENICS",
                          "CORE_TRAINING", "RESISTANCE_BANDS", "TRX", "CIRCUIT_TRAINING"),
    "weightlifting": ("WEIGHTLIFTING", "POWERLIFTING", "FREE_WEIGHTS", "WEIGHTS", "WEIGHT_MACHINES"),
    "yoga": ("YOGA", "YOGA_BIKRAM", "YOGA_HATHA", "YOGA_POWER", "YOGA_VINYASA"),
    "pilates": ("PILATES",),
    "elliptical": ("ELLIPTICAL",),
    "rowing": ("ROWING", "ROWING_MACHINE"),
    "hiit": ("HIIT", "TABATA_WORKOUT", "INTERVAL_WORKOUT"),
    "dancing": ("DANCING", "BALLET", "BALLROOM_DANCE", "HIP_HOP", "JAZZ_DANCE", "MODERN_DANCE", "TANGO",
                "ZUMBA", "BREAKDANCING"),
    "tennis": ("TENNIS",),
    "soccer": ("SOCCER",),
    "basketball": ("BASKETBALL",),
    "golf": ("GOLF",),
    "skiing": ("SKIING", "CROSS_COUNTRY_SKI"),
    "stair_climbing": ("STAIRCLIMBER",),
    "meditation": ("MEDITATE",),
}
_NAMES = {"running": "Running", "walking": "Walking", "hiking": "Hiking", "cycling": "Cycling",
          "swimming": "Swimming", "strength_training": "Strength training", "weightlifting": "Weightlifting",
          "yoga": "Yoga", "pilates": "Pilates", "elliptical": "Elliptical", "rowing": "Rowing", "hiit": "HIIT",
          "dancing": "Dancing", "tennis": "Tennis", "soccer": "Soccer", "basketball": "Basketball",
          "golf": "Golf", "skiing": "Skiing", "stair_climbing": "Stair climbing", "meditation": "Meditation"}
EXERCISE_KINDS: dict[str, tuple[str, str]] = {
    value: (f"{EXERCISE_TYPE}.{kind}", _NAMES[kind]) for kind, values in _KINDS.items() for value in values}


def exercise_start(point: Mapping[str, Any]) -> datetime | None:
    """Return the physical start of an exercise data point (what windows are clamped by)."""
    exercise = point.get("exercise")
    interval = exercise.get("interval") if isinstance(exercise, Mapping) else None
    return timestamp(interval.get("startTime")) if isinstance(interval, Mapping) else None


def event_kind(exercise_type: str | None, display_name: str | None) -> tuple[str, str]:
    """Return (event type, event name) for an `exerciseType` value."""
    found = EXERCISE_KINDS.get(exercise_type or "")
    if found is not None:
        return found
    return EXERCISE_TYPE, display_name or "Exercise"


def map_exercise(points: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Event]:
    """Return one event per readable exercise session in `points`, in the order given."""
    events = []
    for point in points:
        event = _event(point, individual_id, source)
        if event is not None:
            events.append(event)
    return events


def _event(point: Mapping[str, Any], individual_id: str, source: str) -> Event | None:
    exercise = point.get("exercise")
    interval = exercise.get("interval") if isinstance(exercise, Mapping) else None
    if not isinstance(exercise, Mapping) or not isinstance(interval, Mapping):
        return None
    start, end = timestamp(interval.get("startTime")), timestamp(interval.get("endTime"))
    if start is None or end is None or end < start:
        return None
    raw_type = exercise.get("exerciseType") if isinstance(exercise.get("exerciseType"), str) else None
    display = exercise.get("displayName") if isinstance(exercise.get("displayName"), str) else None
    event_type, event_name = event_kind(raw_type, display)
    parameters: dict[str, Any] = {"duration": int((end - start).total_seconds())}
    if raw_type:
        parameters["activity"] = raw_type
    if display:
        parameters["display_name"] = display
    offset = utc_offset(interval.get("startUtcOffset"))
    if offset is not None:
        parameters["utc_offset"] = offset
    end_offset = utc_offset(interval.get("endUtcOffset"))
    if end_offset is not None and end_offset != offset:
        parameters["end_utc_offset"] = end_offset
    active = duration_seconds(exercise.get("activeDuration"))
    if active is not None:
        parameters["active_duration"] = int(round(active))
    parameters.update(_metrics(exercise.get("metricsSummary")))
    record_id = resource_id(point)
    if record_id is not None:
        parameters["provider_record_id"] = record_id
    device = device_name(point)
    if device is not None:
        parameters["source_device"] = device
    return Event(individual_id, start, end, event_type, event_name, source, parameters)


def _metrics(summary: Any) -> dict[str, Any]:
    """Return calories (kcal), distance (m), steps, heart rate, zone minutes, elevation gain (m)."""
    if not isinstance(summary, Mapping):
        return {}
    out: dict[str, Any] = {}
    calories = double(summary.get("caloriesKcal"))
    if calories is not None:
        out["calories"] = calories
    millimeters = double(summary.get("distanceMillimeters", summary.get("distanceMillimiters")))
    if millimeters is not None:
        out["distance"] = millimeters / 1000.0
    for field, name in (("steps", "steps"), ("activeZoneMinutes", "active_zone_minutes")):
        count = int64(summary.get(field))
        if count is not None:
            out[name] = count
    heart_rate = int64(summary.get("averageHeartRateBeatsPerMinute"))
    if heart_rate is not None and heart_rate > 0:
        out["average_heart_rate"] = float(heart_rate)
    elevation = double(summary.get("elevationGainMillimeters"))
    if elevation is not None:
        out["elevation_gain"] = elevation / 1000.0
    return out
