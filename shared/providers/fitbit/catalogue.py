"""The Google Health data types the Fitbit streams read: path id, filter prefix, kind, scopes.

Table: docs/providers/fitbit.md 4.1 (path ids are kebab-case, filter prefixes snake_case)
and the scopes of 1.9. The launch-model read+write scope strings are accepted as aliases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

_SCOPE = "https://www.googleapis.com/auth/googlehealth."
Kind = Literal["interval", "sample", "daily", "session", "rollup"]


def _scopes(group: str) -> tuple[str, ...]:
    return (f"{_SCOPE}{group}.readonly", f"{_SCOPE}{group}")


ACTIVITY_SCOPES = _scopes("activity_and_fitness")
HEALTH_METRICS_SCOPES = _scopes("health_metrics_and_measurements")
SLEEP_SCOPES = _scopes("sleep")


@dataclass(frozen=True)
class DataType:
    """One Google Health data type: where it lives and how filters name it."""

    path_id: str
    filter_prefix: str
    kind: Kind
    scopes: tuple[str, ...]

    def physical_member(self) -> str:
        """Return the filter member of the type's physical time (interval start or sample time)."""
        if self.kind == "interval":
            return f"{self.filter_prefix}.interval.start_time"
        if self.kind == "sample":
            return f"{self.filter_prefix}.sample_time.physical_time"
        raise ValueError(f"{self.path_id} has no physical time filter")


STEPS = DataType("steps", "steps", "interval", ACTIVITY_SCOPES)
DISTANCE = DataType("distance", "distance", "interval", ACTIVITY_SCOPES)
ACTIVE_ENERGY = DataType("active-energy-burned", "active_energy_burned", "interval", ACTIVITY_SCOPES)
ACTIVE_ZONE_MINUTES = DataType("active-zone-minutes", "active_zone_minutes", "interval", ACTIVITY_SCOPES)
TOTAL_CALORIES = DataType("total-calories", "total_calories", "rollup", ACTIVITY_SCOPES)
EXERCISE = DataType("exercise", "exercise", "session", ACTIVITY_SCOPES)
HEART_RATE = DataType("heart-rate", "heart_rate", "sample", HEALTH_METRICS_SCOPES)
RESTING_HEART_RATE = DataType("daily-resting-heart-rate", "daily_resting_heart_rate", "daily",
                              HEALTH_METRICS_SCOPES)
HEART_RATE_VARIABILITY = DataType("heart-rate-variability", "heart_rate_variability", "sample",
                                  HEALTH_METRICS_SCOPES)
OXYGEN_SATURATION = DataType("oxygen-saturation", "oxygen_saturation", "sample", HEALTH_METRICS_SCOPES)
RESPIRATORY_RATE = DataType("respiratory-rate-sleep-summary", "respiratory_rate_sleep_summary", "sample",
                            HEALTH_METRICS_SCOPES)
WEIGHT = DataType("weight", "weight", "sample", HEALTH_METRICS_SCOPES)
BODY_FAT = DataType("body-fat", "body_fat", "sample", HEALTH_METRICS_SCOPES)
SLEEP = DataType("sleep", "sleep", "session", SLEEP_SCOPES)
