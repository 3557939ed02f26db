"""Which Google Fit data each stream reads, grouped by OAuth scope, and the bucket size of each group.

Reference: docs/providers/google_fit.md 2.5 (scope per data type) and 3.2 (one aggregate request
may carry many `aggregateBy` entries, but it fails as a whole with 403 when one of them lacks its
scope). So each aggregate stream holds the types of exactly one scope: a scope the user unticked
skips only its own stream. Types are requested by `dataTypeName`, which reads Google's merged
view of every source (phone and watch are not both counted; 3.6) and never fails for a user
without data, unlike a `dataSourceId` that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from shared.providers.google_fit import map_series as fit
from shared.providers.google_fit.map_series import AggregateSpec

SCOPE_PREFIX = "https://www.googleapis.com/auth/fitness."
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
SLEEP_SEGMENTS_SOURCE = "derived:com.google.sleep.segment:com.google.android.gms:merged"


def read_scope(group: str) -> str:
    """Return the read scope of a Fit scope group, e.g. `activity`."""
    return f"{SCOPE_PREFIX}{group}.read"


@dataclass(frozen=True)
class AggregateGroup:
    """One aggregate stream: its name, the scope of all its types, the types, and the bucket length."""

    name: str
    scope: str
    specs: tuple[AggregateSpec, ...]
    bucket: timedelta
    description: str


# Daily buckets for totals and sparse measurements (section 6); hourly buckets for heart rate, which
# the reference recommends over raw samples (hundreds of calls a year) at the same request count.
AGGREGATE_GROUPS: tuple[AggregateGroup, ...] = (
    AggregateGroup("activity", read_scope("activity"),
                   (fit.STEPS, fit.CALORIES, fit.BASAL_METABOLIC_RATE, fit.MOVE_MINUTES, fit.HEART_POINTS), DAY,
                   "Daily steps, energy (total and basal), move minutes and heart points"),
    AggregateGroup("location", read_scope("location"), (fit.DISTANCE, fit.SPEED), DAY,
                   "Daily distance (metres) and average speed (km/h)"),
    AggregateGroup("body", read_scope("body"), (fit.WEIGHT, fit.HEIGHT, fit.BODY_FAT), DAY,
                   "Weight, height (cm) and body fat, one value per day"),
    AggregateGroup("heart_rate", read_scope("heart_rate"), (fit.HEART_RATE,), HOUR,
                   "Hourly average, maximum and minimum heart rate"),
    AggregateGroup("blood_pressure", read_scope("blood_pressure"), (fit.BLOOD_PRESSURE,), DAY,
                   "Blood pressure, one value per day"),
    AggregateGroup("blood_glucose", read_scope("blood_glucose"), (fit.BLOOD_GLUCOSE,), DAY,
                   "Blood glucose (mmol/L), one value per day"),
    AggregateGroup("oxygen_saturation", read_scope("oxygen_saturation"), (fit.OXYGEN_SATURATION,), DAY,
                   "SpO2, one value per day"),
    AggregateGroup("body_temperature", read_scope("body_temperature"), (fit.BODY_TEMPERATURE,), DAY,
                   "Body temperature, one value per day"),
)
