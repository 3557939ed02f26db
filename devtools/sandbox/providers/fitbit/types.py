"""The Google Health data types the sandbox knows (docs/providers/fitbit.md 4.1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from devtools.sandbox.google.scopes import GOOGLE_AUTH

Kind = Literal["interval", "sample", "daily", "session"]
SHORT_ROLLUP_TYPES = frozenset({"heart-rate", "total-calories", "active-minutes", "calories-in-heart-rate-zone"})


@dataclass(frozen=True)
class HealthType:
    """One data type: ids, kind, the methods it supports and the scope that reads it."""

    path_id: str
    json_key: str
    kind: Kind
    ops: frozenset[str]
    scope_group: str
    identifiable: bool = False

    @property
    def filter_prefix(self) -> str:
        """Return the snake_case filter prefix."""
        return self.path_id.replace("-", "_")

    @property
    def scopes(self) -> frozenset[str]:
        """Return the scopes that read this type (`.readonly` and the launch-model alias)."""
        base = f"{GOOGLE_AUTH}googlehealth.{self.scope_group}"
        return frozenset({base + ".readonly", base})

    @property
    def rollup_cap_days(self) -> int:
        """Return the longest rollUp / dailyRollUp range in days (3.7)."""
        return 14 if self.path_id in SHORT_ROLLUP_TYPES else 90


_ALL = frozenset({"list", "reconcile", "rollUp", "dailyRollUp"})
_LR = frozenset({"list", "reconcile"})
_AF, _HM = "activity_and_fitness", "health_metrics_and_measurements"


def _t(path_id: str, json_key: str, kind: Kind, ops: frozenset[str], group: str, ident: bool = False) -> HealthType:
    return HealthType(path_id, json_key, kind, ops, group, ident)


TYPES: dict[str, HealthType] = {t.path_id: t for t in (
    _t("steps", "steps", "interval", _ALL, _AF),
    _t("distance", "distance", "interval", _ALL, _AF),
    _t("floors", "floors", "interval", frozenset({"reconcile", "rollUp", "dailyRollUp"}), _AF),
    _t("altitude", "altitude", "interval", _ALL, _AF),
    _t("active-energy-burned", "activeEnergyBurned", "interval", _ALL, _AF),
    _t("total-calories", "totalCalories", "interval", frozenset({"rollUp", "dailyRollUp"}), _AF),
    _t("active-minutes", "activeMinutes", "interval", _ALL, _AF),
    _t("active-zone-minutes", "activeZoneMinutes", "interval", _ALL, _AF),
    _t("activity-level", "activityLevel", "interval", _LR, _AF),
    _t("sedentary-period", "sedentaryPeriod", "interval", _ALL, _AF),
    _t("time-in-heart-rate-zone", "timeInHeartRateZone", "interval", _ALL, _AF),
    _t("calories-in-heart-rate-zone", "caloriesInHeartRateZone", "interval",
       frozenset({"rollUp", "dailyRollUp"}), _AF),
    _t("swim-lengths-data", "swimLengthsData", "interval", _ALL, _AF),
    _t("exercise", "exercise", "session", _LR, _AF, True),
    _t("vo2-max", "vo2Max", "sample", _LR, _AF),
    _t("run-vo2-max", "runVo2Max", "sample", _ALL, _AF),
    _t("daily-vo2-max", "dailyVo2Max", "daily", _LR, _AF),
    _t("heart-rate", "heartRate", "sample", _ALL, _HM),
    _t("daily-resting-heart-rate", "dailyRestingHeartRate", "daily", _LR, _HM),
    _t("heart-rate-variability", "heartRateVariability", "sample", _LR, _HM),
    _t("daily-heart-rate-variability", "dailyHeartRateVariability", "daily", _LR, _HM),
    _t("daily-heart-rate-zones", "dailyHeartRateZones", "daily", _LR, _HM),
    _t("oxygen-saturation", "oxygenSaturation", "sample", _LR, _HM),
    _t("daily-oxygen-saturation", "dailyOxygenSaturation", "daily", _LR, _HM),
    _t("daily-respiratory-rate", "dailyRespiratoryRate", "daily", _LR, _HM),
    _t("respiratory-rate-sleep-summary", "respiratoryRateSleepSummary", "sample", _LR, _HM),
    _t("daily-sleep-temperature-derivations", "dailySleepTemperatureDerivations", "daily", _LR, _HM),
    _t("core-body-temperature", "coreBodyTemperature", "sample", _ALL, _HM, True),
    _t("blood-glucose", "bloodGlucose", "sample", _ALL, _HM, True),
    _t("weight", "weight", "sample", _ALL, _HM, True),
    _t("body-fat", "bodyFat", "sample", _ALL, _HM, True),
    _t("height", "height", "sample", _LR, _HM, True),
    _t("sleep", "sleep", "session", _LR, "sleep", True),
)}
