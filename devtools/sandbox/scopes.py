"""Scope names the imitated Google and Oura authorization servers know, with consent-page labels."""

from __future__ import annotations

GOOGLE_AUTH = "https://www.googleapis.com/auth/"

# Google Health API v4 (providers/google-health-api.md 1.9).
_HEALTH_READ = {
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
_HEALTH_WRITE = ("activity_and_fitness", "health_metrics_and_measurements", "nutrition", "profile",
                 "settings", "sleep", "logged_symptoms", "mindfulness", "reproductive_health")
# Launch-model read+write scopes, accepted as aliases (1.9).
_HEALTH_LEGACY = ("activity_and_fitness", "health_metrics_and_measurements", "nutrition", "profile",
                  "settings", "sleep")

# Google Fit REST (providers/google-fit-rest.md 2.5).
_FIT_GROUPS = {
    "activity": "activity", "location": "location", "body": "body measurements",
    "heart_rate": "heart rate", "sleep": "sleep", "blood_pressure": "blood pressure",
    "blood_glucose": "blood glucose", "oxygen_saturation": "oxygen saturation",
    "body_temperature": "body temperature", "nutrition": "nutrition",
    "reproductive_health": "reproductive health",
}

GOOGLE_SCOPES: dict[str, str] = {
    "openid": "Associate you with your personal info on Google",
    "email": "See your primary Google Account email address",
    "profile": "See your personal info",
    GOOGLE_AUTH + "userinfo.email": "See your primary Google Account email address",
    GOOGLE_AUTH + "userinfo.profile": "See your personal info",
    GOOGLE_AUTH + "cloud-platform": "See, edit, configure and delete your Google Cloud data",
}
GOOGLE_SCOPES.update({f"{GOOGLE_AUTH}googlehealth.{k}.readonly": v for k, v in _HEALTH_READ.items()})
GOOGLE_SCOPES.update({f"{GOOGLE_AUTH}googlehealth.{k}.writeonly": f"Add {k.replace('_', ' ')} data"
                      for k in _HEALTH_WRITE})
GOOGLE_SCOPES.update({f"{GOOGLE_AUTH}googlehealth.{k}": f"See and add {k.replace('_', ' ')} data"
                      for k in _HEALTH_LEGACY})
GOOGLE_SCOPES.update({f"{GOOGLE_AUTH}fitness.{k}.read": f"See your {v} data in Google Fit"
                      for k, v in _FIT_GROUPS.items()})
GOOGLE_SCOPES.update({f"{GOOGLE_AUTH}fitness.{k}.write": f"Add to your {v} data in Google Fit"
                      for k, v in _FIT_GROUPS.items()})

# Scopes that let a token call users.getIdentity: any Google Health read scope (Discovery), and
# the legacy read+write aliases.
GOOGLE_HEALTH_IDENTITY_SCOPES = frozenset(
    [f"{GOOGLE_AUTH}googlehealth.{k}.readonly" for k in _HEALTH_READ if k not in ("nutrition", "location")]
    + [f"{GOOGLE_AUTH}googlehealth.{k}" for k in _HEALTH_LEGACY])
CLOUD_PLATFORM = GOOGLE_AUTH + "cloud-platform"

# Oura (providers/oura-api-v2.md 2.4). `spo2Daily` (the OpenAPI spelling) is not listed: the live
# consent screen reportedly drops it silently, as it does any unknown name.
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
