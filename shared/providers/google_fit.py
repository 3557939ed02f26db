"""Google Fit REST (sunset: Google ends it in 2026; new connections are refused after the date).

Reference: shared docs `providers/google-fit-rest.md` sections 0 and 2. Fit has no identity endpoint:
the `openid` scope makes the token endpoint add an ID token whose `sub` is the Google account id.
"""

from __future__ import annotations

from typing import Any

from shared.errors import TransientProviderError
from shared.providers.base import OAuthClient, Provider, TokenSet
from shared.providers.google import AUTHORIZE_PARAMS, google_client, google_revoker

_SCOPE = "https://www.googleapis.com/auth/fitness."
SCOPES = ("openid",) + tuple(
    f"{_SCOPE}{group}.read"
    for group in ("activity", "location", "body", "heart_rate", "sleep", "blood_pressure",
                  "blood_glucose", "oxygen_saturation", "body_temperature")
)


def _client(settings: Any) -> OAuthClient | None:
    return google_client(settings, settings.google_fit_client_id, settings.google_fit_client_secret)


def _user_id(settings: Any, tokens: TokenSet, client: OAuthClient) -> str:
    """Read `sub` from the ID token the token endpoint returned.

    The token came straight from the token endpoint over TLS, so its signature need not be checked
    (OpenID Connect Core 3.1.3.7); its audience must still be our client.
    """
    import jwt

    if not tokens.id_token:
        raise TransientProviderError("google_fit", "the token answer has no ID token (openid scope)")
    try:
        claims = jwt.decode(tokens.id_token, options={"verify_signature": False, "verify_exp": False})
    except jwt.PyJWTError:
        raise TransientProviderError("google_fit", "the ID token is malformed") from None
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client.client_id not in audiences or not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise TransientProviderError("google_fit", "the ID token is not for this client or has no subject")
    return claims["sub"]


GOOGLE_FIT = Provider(
    name="google_fit",
    display_name="Google Fit",
    source="google-fit",
    scopes=SCOPES,
    uses_pkce=True,
    single_use_refresh_tokens=False,
    authorize_params=AUTHORIZE_PARAMS,
    oauth_client=_client,
    fetch_user_id=_user_id,
    revoke=google_revoker("google_fit"),
    end_of_service=lambda settings: settings.google_fit_end_of_service,
)
