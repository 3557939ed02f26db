"""Google Health API v4 scopes, with consent-page labels (docs/providers/fitbit.md 1.9)."""

from __future__ import annotations

from devtools.sandbox.google.scopes import GOOGLE_AUTH

_READ = {
    "activity_and_fitness": "See your activity and fitness data",
    "health_metrics_and_measurements": "See your health metrics and measurements",
    "sleep": "See your sleep data",
    "nutrition": "See your nutrition data",
    "settings": "See your Google Health settings and paired devices",
    "profile": "See your Google Health profile",
    "location": "See your exercise locations",
    "ecg": "See your ECG readings",
    "irn": "See your irregular rhythm notifications",
    "logged_symptoms": "See your logged symptoms",
    "mindfulness": "See your mindfulness data",
    "reproductive_health": "See your reproductive health data",
}
_WRITE = ("activity_and_fitness", "health_metrics_and_measurements", "nutrition", "profile",
          "settings", "sleep", "logged_symptoms", "mindfulness", "reproductive_health")
# Launch-model read+write scopes, accepted as aliases (1.9).
_LEGACY = ("activity_and_fitness", "health_metrics_and_measurements", "nutrition", "profile",
           "settings", "sleep")

HEALTH_SCOPES: dict[str, str] = {f"{GOOGLE_AUTH}googlehealth.{k}.readonly": v for k, v in _READ.items()}
HEALTH_SCOPES.update({f"{GOOGLE_AUTH}googlehealth.{k}.writeonly": f"Add {k.replace('_', ' ')} data" for k in _WRITE})
HEALTH_SCOPES.update({f"{GOOGLE_AUTH}googlehealth.{k}": f"See and add {k.replace('_', ' ')} data" for k in _LEGACY})

# Scopes that let a token call users.getIdentity: any Google Health read scope (Discovery), and
# the legacy read+write aliases.
IDENTITY_SCOPES = frozenset(
    [f"{GOOGLE_AUTH}googlehealth.{k}.readonly" for k in _READ if k not in ("nutrition", "location")]
    + [f"{GOOGLE_AUTH}googlehealth.{k}" for k in _LEGACY])
