"""Oura, API v2: a confidential client without PKCE, single-use refresh tokens (docs/providers/oura.md 2)."""

from __future__ import annotations

from typing import Any

from shared.errors import ProviderRejected, TransientProviderError
from shared.http.errors import ErrorDetails
from shared.providers.base import Endpoints, OAuthClient, Provider, TokenSet, Webhook, WebhookSetting, streams_of
from shared.providers.identity import identity_from
from shared.providers.lazy import imported

# Both spellings of the SpO2 scope: unknown names are silently dropped (docs/providers/oura.md 2.4);
# `email` labels the account the person confirms (section 4.1).
SCOPES = ("email", "personal", "daily", "heartrate", "workout", "session", "spo2", "spo2Daily", "stress",
          "heart_health")

ENDPOINTS = Endpoints(
    authorize_url="https://cloud.ouraring.com/oauth/authorize",
    token_url="https://api.ouraring.com/oauth/token",
    revoke_url="https://api.ouraring.com/oauth/revoke",
    api_url="https://api.ouraring.com",
)


def _revoke(client: OAuthClient, tokens: TokenSet) -> None:
    """Revoke with `?access_token=`; POST first, GET when POST is not allowed (docs/providers/oura.md 2.1).

    401 is a failure: the token we hold is not the grant's live one (expired, or replaced by a
    refresh), so the grant itself may still be alive.
    """
    import requests

    from shared.http.session import TIMEOUT_SECONDS, session

    for method in ("POST", "GET"):
        try:
            response = session().request(method, client.revoke_url, params={"access_token": tokens.access_token},
                                         timeout=TIMEOUT_SECONDS)
        except requests.RequestException:
            raise TransientProviderError("oura", "oura revocation endpoint could not be reached") from None
        if response.status_code in (200, 204):
            return
        if response.status_code not in (404, 405):
            break
    if response.status_code >= 500:
        raise TransientProviderError("oura", f"oura revocation failed (HTTP {response.status_code})",
                                     status=response.status_code)
    raise ProviderRejected("oura", f"oura refused the revocation (HTTP {response.status_code})",
                           status=response.status_code)


def _error_details(status: int, body: Any) -> ErrorDetails:
    """Oura answers 426 when the wearer's app is too old to share a data type (docs/providers/oura.md 6)."""
    if status == 426:
        return ErrorDetails(message="the wearer must update the Oura app to share this data")
    return ErrorDetails()


WEBHOOK = Webhook(
    settings=(
        WebhookSetting("verification_token", "VERIFICATION_TOKEN",
                       "Token Oura echoes when it verifies the webhook URL (unset: Oura webhooks refused)",
                       secret=True),
        WebhookSetting("callback_url", "CALLBACK_URL",
                       "URL Oura sends notifications to (default: <PUBLIC_BASE_URL>/api/webhooks/oura)"),
    ),
    receiver=imported("shared.providers.oura.webhook", "receiver"),
    registrar=imported("shared.providers.oura.subscriptions", "registrar"),
)


OURA = Provider(
    name="oura", display_name="Oura",
    endpoints=ENDPOINTS,
    scopes=SCOPES,
    uses_pkce=False,
    identity=identity_from("oura", "/v2/usercollection/personal_info", "id", label_key="email"),
    streams=streams_of("shared.providers.oura.streams"),
    revoke=_revoke,
    revoke_needs_live_access_token=True,
    default_expires_in=86400,
    error_quirk=_error_details,
    webhook=WEBHOOK,
)
