"""WHOOP's scope names, with consent-page labels (docs/providers/whoop.md 2.3)."""

from __future__ import annotations

WHOOP_SCOPES: dict[str, str] = {
    "offline": "Stay connected (refresh token)",
    "read:profile": "Profile (name, email)",
    "read:cycles": "Physiological cycles (day strain)",
    "read:recovery": "Recovery",
    "read:sleep": "Sleep",
    "read:workout": "Workouts",
    "read:body_measurement": "Body measurements (height, weight, max heart rate)",
}
READ_SCOPES = frozenset(scope for scope in WHOOP_SCOPES if scope.startswith("read:"))
