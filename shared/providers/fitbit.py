"""Fitbit, through the Google Health API (the legacy Fitbit Web API is switched off).

Reference: shared docs `providers/google-health-api.md` sections 1 and 2.
"""

from __future__ import annotations

from typing import Any

from shared.errors import TransientProviderError
from shared.providers.base import OAuthClient, Provider, TokenSet
from shared.providers.google import google_client, revoke_google_token
from shared.providers.http import bearer, request_json

_SCOPE = "https://www.googleapis.com/auth/googlehealth."
SCOPES = (
    _SCOPE + "activity_and_fitness.readonly",
    _SCOPE + "health_metrics_and_measurements.readonly",
    _SCOPE + "sleep.readonly",
    _SCOPE + "settings.readonly",
    _SCOPE + "profile.readonly",
)


def _client(settings: Any) -> OAuthClient | None:
    return google_client(settings, settings.fitbit_client_id, settings.fitbit_client_secret)


def _user_id(settings: Any, tokens: TokenSet, client: OAuthClient) -> str:
    """Read `healthUserId` from `GET /v4/users/me/identity` (stable; equals the resource-name user)."""
    body = request_json("fitbit", "GET", f"{settings.google_health_api_url}/v4/users/me/identity",
                        headers=bearer(tokens.access_token))
    user_id = body.get("healthUserId") if isinstance(body, dict) else None
    if not isinstance(user_id, str) or not user_id:
        raise TransientProviderError("fitbit", "identity answer has no healthUserId")
    return user_id


FITBIT = Provider(
    name="fitbit",
    display_name="Fitbit",
    source="fitbit",
    scopes=SCOPES,
    uses_pkce=True,
    single_use_refresh_tokens=False,
    authorize_params={"access_type": "offline", "prompt": "consent"},
    oauth_client=_client,
    fetch_user_id=_user_id,
    revoke=lambda client, tokens: revoke_google_token("fitbit", client, tokens),
)
