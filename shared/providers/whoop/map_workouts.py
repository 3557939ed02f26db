"""WHOOP workouts -> exercise events (pure).

Shape: docs/providers/whoop.md 4.5. `sport_name` is a free vocabulary of lower-case names
(`running`, `functional-fitness`, ...): names with a Personicle exercise type map to it, every
other one (recovery activities such as sauna or meditation included) to the generic exercise type,
with the raw name kept in `activity`. Energy comes in kilojoules (converted to kilocalories),
zone times in milliseconds (converted to seconds). A pending workout is left for a later read; an
unscorable one is emitted with its times, sport and `score_state` only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from shared.contract.records import EVENT_PREFIX, Event
from shared.providers.whoop.map_common import activity_times, put
from shared.providers.whoop.map_values import PENDING, kilocalories, mapping, number, score_of, seconds, text

EXERCISE_TYPE = EVENT_PREFIX + "exercise"
_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "running": ("Running", ("running", "track_and_field", "ultramarathon")),
    "walking": ("Walking", ("walking",)),
    "hiking": ("Hiking", ("hiking", "hiking_rucking", "rucking")),
    "cycling": ("Cycling", ("cycling", "mountain_biking", "spin", "spinning", "assault_bike")),
    "swimming": ("Swimming", ("swimming",)),
    "strength_training": ("Strength training", ("strength_trainer", "functional_fitness", "powerlifting",
                                                "crossfit")),
    "weightlifting": ("Weightlifting", ("weightlifting",)),
    "yoga": ("Yoga", ("yoga", "hot_yoga")),
    "pilates": ("Pilates", ("pilates",)),
    "elliptical": ("Elliptical", ("elliptical",)),
    "rowing": ("Rowing", ("rowing",)),
    "hiit": ("HIIT", ("hiit",)),
    "dancing": ("Dancing", ("dance", "dancing")),
    "tennis": ("Tennis", ("tennis",)),
    "soccer": ("Soccer", ("soccer",)),
    "basketball": ("Basketball", ("basketball",)),
    "golf": ("Golf", ("golf",)),
    "skiing": ("Skiing", ("skiing", "cross_country_skiing")),
    "stair_climbing": ("Stair climbing", ("stairmaster", "stair_climbing")),
    "meditation": ("Meditation", ("meditation",)),
    "breathing": ("Breathing", ("breathwork",)),
}
SPORT_KINDS: dict[str, tuple[str, str]] = {
    alias: (f"{EXERCISE_TYPE}.{kind}", name) for kind, (name, aliases) in _KINDS.items() for alias in aliases}
_ZONES = ("zero", "one", "two", "three", "four", "five")
_SEPARATORS = re.compile(r"[\s\-/]+")


def sport_kind(sport_name: str | None) -> tuple[str, str]:
    """Return (event type, event name) of a WHOOP `sport_name`."""
    key = _SEPARATORS.sub("_", sport_name.strip()).lower() if sport_name else ""
    found = SPORT_KINDS.get(key)
    if found is not None:
        return found
    return EXERCISE_TYPE, key.replace("_", " ").capitalize() or "Exercise"


def map_workouts(workouts: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Event]:
    """Return one event per readable workout that is scored or unscorable, in the order given."""
    events = []
    for workout in workouts:
        if workout.get("score_state") == PENDING:
            continue
        found = activity_times(workout)
        if found is None:
            continue
        start, end, parameters = found
        sport = text(workout.get("sport_name"))
        event_type, name = sport_kind(sport)
        put(parameters, "activity", sport)
        score = score_of(workout)
        if score is not None:
            put(parameters, "strain", number(score.get("strain")))
            put(parameters, "calories", kilocalories(score.get("kilojoule")))
            put(parameters, "average_heart_rate", number(score.get("average_heart_rate")))
            put(parameters, "max_heart_rate", number(score.get("max_heart_rate")))
            put(parameters, "percent_recorded", number(score.get("percent_recorded")))
            put(parameters, "distance", number(score.get("distance_meter")))
            put(parameters, "altitude_gain", number(score.get("altitude_gain_meter")))
            put(parameters, "altitude_change", number(score.get("altitude_change_meter")))
            # v2 names the object `zone_durations`; older pages of the guide say `zone_duration`.
            zones = mapping(score.get("zone_durations") or score.get("zone_duration"))
            for index, zone in enumerate(_ZONES):
                put(parameters, f"heart_rate_zone_{index}_duration", seconds(zones.get(f"zone_{zone}_milli")))
        events.append(Event(individual_id, start, end, event_type, name, source, parameters))
    return events
