"""Withings' scope names, with consent-page labels (docs/providers/withings.md 2.3)."""

from __future__ import annotations

WITHINGS_SCOPES: dict[str, str] = {
    "user.info": "Profile information",
    "user.metrics": "Body measures, blood pressure, heart (getmeas, heart)",
    "user.activity": "Activity, workouts and sleep",
    "user.sleepevents": "Bed-in and bed-out events",
}
