"""The Google Fit data types the sandbox serves: scope group, fields, aggregate output and merged streams.

Reference: docs/providers/google_fit.md 2.5 (scopes), 3.6 (merged/derived stream names), 4.1 (fields,
point kinds, aggregate output types) and 4.3 (aggregate value layouts).
"""

from __future__ import annotations

from dataclasses import dataclass

from devtools.sandbox.providers.google_fit.days import Habits

GMS = "com.google.android.gms"
SCOPE_PREFIX = "https://www.googleapis.com/auth/fitness."


@dataclass(frozen=True)
class FitType:
    """One data type: its scope group, `value[]` fields, how it aggregates, its merged streams."""

    name: str
    group: str
    fields: tuple[tuple[str, str, bool], ...]  # (name, format, optional)
    output: str  # aggregate output type
    aggregation: str  # sum | summary | heart_points | activity | segments
    streams: tuple[str, ...]  # merged/derived stream names; the first is the one datasets.get examples use

    @property
    def scopes(self) -> frozenset[str]:
        """Return the scopes that may read this type (read, or write which includes read)."""
        return frozenset({f"{SCOPE_PREFIX}{self.group}.read", f"{SCOPE_PREFIX}{self.group}.write"})

    def source_ids(self) -> tuple[str, ...]:
        """Return the ids of the type's merged/derived streams."""
        return tuple(f"derived:{self.name}:{GMS}:{stream}" for stream in self.streams)


def _t(name: str, group: str, fields: tuple[tuple[str, str, bool], ...], output: str | None, aggregation: str,
       *streams: str) -> FitType:
    return FitType(name, group, fields, output or name, aggregation, streams)


_FLOAT, _INT = "floatPoint", "integer"
TYPES: dict[str, FitType] = {t.name: t for t in (
    _t("com.google.step_count.delta", "activity", (("steps", _INT, False),), None, "sum",
       "estimated_steps", "merge_step_deltas"),
    _t("com.google.distance.delta", "location", (("distance", _FLOAT, False),), None, "sum", "merge_distance_delta"),
    _t("com.google.calories.expended", "activity", (("calories", _FLOAT, False),), None, "sum",
       "merge_calories_expended"),
    _t("com.google.calories.bmr", "activity", (("calories", _FLOAT, False),), "com.google.calories.bmr.summary",
       "summary", "merged"),
    _t("com.google.heart_rate.bpm", "heart_rate", (("bpm", _FLOAT, False),), "com.google.heart_rate.summary",
       "summary", "merge_heart_rate_bpm"),
    _t("com.google.active_minutes", "activity", (("duration", _INT, False),), None, "sum", "merge_active_minutes"),
    _t("com.google.heart_minutes", "activity", (("intensity", _FLOAT, False),), "com.google.heart_minutes.summary",
       "heart_points", "merge_heart_minutes"),
    _t("com.google.weight", "body", (("weight", _FLOAT, False),), "com.google.weight.summary", "summary",
       "merge_weight"),
    _t("com.google.height", "body", (("height", _FLOAT, False),), "com.google.height.summary", "summary",
       "merge_height"),
    _t("com.google.body.fat.percentage", "body", (("percentage", _FLOAT, False),),
       "com.google.body.fat.percentage.summary", "summary", "merged"),
    _t("com.google.speed", "location", (("speed", _FLOAT, False),), "com.google.speed.summary", "summary",
       "merge_speed"),
    _t("com.google.activity.segment", "activity", (("activity", _INT, False),), "com.google.activity.summary",
       "activity", "merge_activity_segments"),
    _t("com.google.sleep.segment", "sleep", (("sleep_segment_type", _INT, False),), None, "segments", "merged"),
    _t("com.google.blood_pressure", "blood_pressure", (
        ("blood_pressure_systolic", _FLOAT, False), ("blood_pressure_diastolic", _FLOAT, False),
        ("body_position", _INT, True), ("blood_pressure_measurement_location", _INT, True)),
       "com.google.blood_pressure.summary", "summary", "merged"),
    _t("com.google.oxygen_saturation", "oxygen_saturation", (
        ("oxygen_saturation", _FLOAT, False), ("supplemental_oxygen_flow_rate", _FLOAT, False),
        ("oxygen_therapy_administration_mode", _INT, True), ("oxygen_saturation_system", _INT, True),
        ("oxygen_saturation_measurement_method", _INT, True)),
       "com.google.oxygen_saturation.summary", "summary", "merged"),
    _t("com.google.body.temperature", "body_temperature", (
        ("body_temperature", _FLOAT, False), ("body_temperature_measurement_location", _INT, True)),
       "com.google.body.temperature.summary", "summary", "merged"),
    _t("com.google.blood_glucose", "blood_glucose", (
        ("blood_glucose_level", _FLOAT, False), ("temporal_relation_to_meal", _INT, True), ("meal_type", _INT, True),
        ("temporal_relation_to_sleep", _INT, True), ("blood_glucose_specimen_source", _INT, True)),
       "com.google.blood_glucose.summary", "summary", "merged"),
)}
SUMMARY_TYPES = frozenset(t.output for t in TYPES.values() if t.output != t.name)
# Manual readings come from the person-day plans; the other types from the minutes.
MEASURED = frozenset({"com.google.weight", "com.google.height", "com.google.body.fat.percentage",
                      "com.google.blood_pressure", "com.google.oxygen_saturation", "com.google.body.temperature",
                      "com.google.blood_glucose"})


def source_type(source_id: str) -> FitType | None:
    """Return the type of a merged/derived stream id, or None when the sandbox has no such stream."""
    parts = source_id.split(":")
    found = TYPES.get(parts[1]) if len(parts) == 4 and parts[0] == "derived" and parts[2] == GMS else None
    return found if found is not None and parts[3] in found.streams else None


def user_has(habits: Habits, fit_type: FitType) -> bool:
    """Tell whether a user with these habits has any data of the type (merged streams exist only then)."""
    name = fit_type.name
    if name == "com.google.heart_rate.bpm":
        return habits.watch
    if name == "com.google.sleep.segment":
        return habits.sleep_app is not None
    if name == "com.google.weight":
        return habits.weigh_chance > 0
    if name == "com.google.body.fat.percentage":
        return habits.smart_scale
    if name == "com.google.blood_pressure":
        return habits.pressure_chance > 0
    if name == "com.google.blood_glucose":
        return habits.glucose_per_day > 0
    if name == "com.google.oxygen_saturation":
        return habits.spo2
    if name == "com.google.body.temperature":
        return habits.temperature_chance > 0
    return True
