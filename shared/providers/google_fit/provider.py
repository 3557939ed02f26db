"""Google Fit REST (sunset: Google ends it in 2026; new connections are refused after the date).

Reference: docs/providers/google_fit.md sections 0 and 2. Fit has no identity endpoint:
the `openid` scope makes the token endpoint add an ID token whose `sub` is the Google account id.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from shared.errors import TransientProviderError
from shared.providers import google_oauth
from shared.providers.base import OAuthClient, Provider, ProviderSettings, TokenSet
from shared.providers.google_errors import google_error_details

if TYPE_CHECKING:
    from shared.sync.streams import Stream

_SCOPE = "https://www.googleapis.com/auth/fitness."
SCOPES = ("openid",) + tuple(
    f"{_SCOPE}{group}.read"
    for group in ("activity", "location", "body", "heart_rate", "sleep", "blood_pressure",
                  "blood_glucose", "oxygen_saturation", "body_temperature")
)


def _user_id(settings: ProviderSettings, tokens: TokenSet, client: OAuthClient) -> str:
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


def _streams() -> Sequence[Stream]:
    from shared.providers.google_fit.streams import STREAMS

    return STREAMS


GOOGLE_FIT = Provider(
    name="google_fit",
    display_name="Google Fit",
    source="google-fit",
    settings_prefix="GOOGLE_FIT",
    endpoints=google_oauth.google_endpoints("https://fitness.googleapis.com"),
    scopes=SCOPES,
    uses_pkce=True,
    identity=_user_id,
    streams=_streams,
    revoke=google_oauth.google_revoker("google_fit"),
    authorize_params=google_oauth.AUTHORIZE_PARAMS,
    end_of_service_default=date(2026, 12, 31),
    error_quirk=google_error_details,
)
