"""Google Fit REST scopes, with consent-page labels (docs/providers/google_fit.md 2.5)."""

from __future__ import annotations

from devtools.sandbox.google.scopes import GOOGLE_AUTH

_GROUPS = {
    "activity": "activity", "location": "location", "body": "body measurements",
    "heart_rate": "heart rate", "sleep": "sleep", "blood_pressure": "blood pressure",
    "blood_glucose": "blood glucose", "oxygen_saturation": "oxygen saturation",
    "body_temperature": "body temperature", "nutrition": "nutrition",
    "reproductive_health": "reproductive health",
}

FIT_SCOPES: dict[str, str] = {f"{GOOGLE_AUTH}fitness.{k}.read": f"See your {v} data in Google Fit"
                              for k, v in _GROUPS.items()}
FIT_SCOPES.update({f"{GOOGLE_AUTH}fitness.{k}.write": f"Add to your {v} data in Google Fit" for k, v in _GROUPS.items()})
