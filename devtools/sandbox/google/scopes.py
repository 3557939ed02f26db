"""Scope names Google's authorization server knows by itself, with consent-page labels.

Each Google API's provider adds its own scopes (SandboxProvider.scopes).
"""

from __future__ import annotations

GOOGLE_AUTH = "https://www.googleapis.com/auth/"
CLOUD_PLATFORM = GOOGLE_AUTH + "cloud-platform"

GOOGLE_SCOPES: dict[str, str] = {
    "openid": "Associate you with your personal info on Google",
    "email": "See your primary Google Account email address",
    "profile": "See your personal info",
    GOOGLE_AUTH + "userinfo.email": "See your primary Google Account email address",
    GOOGLE_AUTH + "userinfo.profile": "See your personal info",
    CLOUD_PLATFORM: "See, edit, configure and delete your Google Cloud data",
}
