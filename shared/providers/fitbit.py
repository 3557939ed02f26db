"""Fitbit, through the Google Health API (the legacy Fitbit Web API is switched off).

Reference: shared docs `providers/google-health-api.md` sections 1 and 2.
"""

from __future__ import annotations

from typing import Any

from shared.providers.base import OAuthClient, Provider, TokenSet
from shared.providers.google import AUTHORIZE_PARAMS, google_client, google_revoker
from shared.providers.identity import user_id_member

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
    return user_id_member("fitbit", f"{settings.google_health_api_url}/v4/users/me/identity", tokens.access_token,
                          "healthUserId", "identity")


FITBIT = Provider(
    name="fitbit",
    display_name="Fitbit",
    source="fitbit",
    scopes=SCOPES,
    uses_pkce=True,
    single_use_refresh_tokens=False,
    authorize_params=AUTHORIZE_PARAMS,
    oauth_client=_client,
    fetch_user_id=_user_id,
    revoke=google_revoker("fitbit"),
)
