"""Oura, API v2.

Reference: shared docs `providers/oura-api-v2.md` section 2: no PKCE (not documented; a confidential
client), refresh tokens are single-use, revocation takes the access token in the query string.
"""

from __future__ import annotations

from typing import Any

from shared.errors import ProviderRejected, TransientProviderError
from shared.providers.base import OAuthClient, Provider, TokenSet
from shared.providers.http import TIMEOUT_SECONDS, session
from shared.providers.identity import user_id_member

# Both spellings of the SpO2 scope: unknown names are silently dropped (reference 2.4).
SCOPES = ("personal", "daily", "heartrate", "workout", "session", "spo2", "spo2Daily", "stress",
          "heart_health")


def _client(settings: Any) -> OAuthClient | None:
    if not settings.oura_client_id or not settings.oura_client_secret:
        return None
    return OAuthClient(settings.oura_client_id, settings.oura_client_secret, settings.oura_authorize_url,
                       settings.oura_token_url, settings.oura_revoke_url)


def _user_id(settings: Any, tokens: TokenSet, client: OAuthClient) -> str:
    """Read `id` from `GET /v2/usercollection/personal_info` (readable with any scope)."""
    return user_id_member("oura", f"{settings.oura_api_url}/v2/usercollection/personal_info", tokens.access_token,
                          "id", "personal_info")


def _revoke(client: OAuthClient, tokens: TokenSet) -> None:
    """Revoke with `?access_token=`; POST first, GET when POST is not allowed; 401 means already dead."""
    import requests

    for method in ("POST", "GET"):
        try:
            response = session().request(method, client.revoke_url, params={"access_token": tokens.access_token},
                                         timeout=TIMEOUT_SECONDS)
        except requests.RequestException:
            raise TransientProviderError("oura", "oura revocation endpoint could not be reached") from None
        if response.status_code in (200, 204, 401):
            return
        if response.status_code not in (404, 405):
            break
    if response.status_code >= 500:
        raise TransientProviderError("oura", f"oura revocation failed (HTTP {response.status_code})",
                                     status=response.status_code)
    raise ProviderRejected("oura", f"oura refused the revocation (HTTP {response.status_code})",
                           status=response.status_code)


OURA = Provider(
    name="oura",
    display_name="Oura",
    source="oura",
    scopes=SCOPES,
    uses_pkce=False,
    single_use_refresh_tokens=True,
    authorize_params={},
    oauth_client=_client,
    fetch_user_id=_user_id,
    revoke=_revoke,
    default_expires_in=86400,
)
