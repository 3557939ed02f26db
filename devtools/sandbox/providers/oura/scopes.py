"""Oura's scope names, with consent-page labels (docs/providers/oura.md 2.4).

`spo2Daily` (the OpenAPI spelling) is not listed: the live consent screen reportedly drops it
silently, as it does any unknown name.
"""

from __future__ import annotations

OURA_SCOPES: dict[str, str] = {
    "email": "Email address",
    "personal": "Personal information (age, weight, height, biological sex)",
    "daily": "Daily summaries (activity, sleep, readiness)",
    "heartrate": "Heart rate",
    "workout": "Workouts",
    "tag": "Tags",
    "session": "Sessions",
    "spo2": "Blood oxygen (SpO2)",
    "stress": "Stress and resilience",
    "heart_health": "Heart health (cardiovascular age, VO2 max)",
    "ring_configuration": "Ring configuration",
}
