"""WHOOP, API v2: a confidential client without PKCE, rotating refresh tokens (docs/providers/whoop.md 2)."""

from __future__ import annotations

from typing import Any

from shared.budget.limits import RequestBudget
from shared.errors import ProviderRejected, ReauthRequired, TransientProviderError
from shared.http.errors import ErrorDetails
from shared.providers.base import (AccountIdentity, Endpoints, OAuthClient, Provider, ProviderSettings, TokenSet,
                                   Webhook, streams_of)
from shared.providers.lazy import imported

# `offline` brings the refresh token; `read:profile` the member's id (docs/providers/whoop.md 2.3).
SCOPES = ("offline", "read:profile", "read:cycles", "read:recovery", "read:sleep", "read:workout",
          "read:body_measurement")

ENDPOINTS = Endpoints(
    authorize_url="https://api.prod.whoop.com/oauth/oauth2/auth",
    token_url="https://api.prod.whoop.com/oauth/oauth2/token",
    revoke_url="https://api.prod.whoop.com/developer/v2/user/access",
    api_url="https://api.prod.whoop.com/developer",
)
PROFILE_PATH = "/v2/user/profile/basic"


def _identity(settings: ProviderSettings, tokens: TokenSet, client: OAuthClient) -> AccountIdentity:
    """Read `user_id` (an int64) and the e-mail from the basic profile: the token answer names no user (2.1)."""
    from shared.http.session import bearer, request_json

    body = request_json("whoop", "GET", settings.endpoints.api_url.rstrip("/") + PROFILE_PATH,
                        headers=bearer(tokens.access_token))
    user_id = body.get("user_id") if isinstance(body, dict) else None
    if type(user_id) is int or (isinstance(user_id, str) and user_id.isdigit()):
        email = body.get("email")
        return AccountIdentity(str(user_id), email if isinstance(email, str) and email.strip() else None)
    raise TransientProviderError("whoop", "profile answer has no user_id")


def _revoke(client: OAuthClient, tokens: TokenSet) -> None:
    """`DELETE /v2/user/access` with the member's token (2.4); an expired token is refreshed once first.

    A refresh that is refused means the grant is already gone, which is what revocation wants.
    """
    from shared import oauth
    from shared.http.session import bearer, send

    access = tokens.access_token
    for attempt in range(2):
        try:
            send("whoop", "DELETE", client.revoke_url, headers=bearer(access))
            return
        except ReauthRequired:
            if attempt or not tokens.refresh_token:
                raise ProviderRejected("whoop", "whoop refused the revocation (HTTP 401)", status=401) from None
        try:
            access = oauth.refresh(WHOOP, client, tokens.refresh_token).access_token
        except ReauthRequired:
            return


def _error_details(status: int, body: Any) -> ErrorDetails:
    """Name what WHOOP's error bodies say: an inactive membership (403 `deactivated_user`) (6)."""
    error = body.get("error") if isinstance(body, dict) else None
    if status == 403 and error == "deactivated_user":
        return ErrorDetails(message="the member's WHOOP membership is inactive")
    return ErrorDetails()


# Registered by hand in WHOOP's dashboard; signed with the client secret, so no setting of its own (7).
WEBHOOK = Webhook(settings=(), receiver=imported("shared.providers.whoop.webhook", "receiver"),
                  locate=imported("shared.providers.whoop.locate", "locate"))

WHOOP = Provider(
    name="whoop", display_name="WHOOP",
    endpoints=ENDPOINTS,
    scopes=SCOPES,
    uses_pkce=False,
    identity=_identity,
    streams=streams_of("shared.providers.whoop.streams"),
    revoke=_revoke,
    default_expires_in=3600,
    error_quirk=_error_details,
    refresh_scopes=("offline",),
    # WHOOP allows 100 calls a minute and 10,000 a day for the whole app (6); we keep 10% and 5% back.
    request_budgets=(RequestBudget(90, 60), RequestBudget(9500, 86400)),
    webhook=WEBHOOK,
)
