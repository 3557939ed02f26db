"""Google Fit REST (sunset: Google ends it in 2026; new connections are refused after the date).

Reference: docs/providers/google_fit.md sections 0 and 2. Fit has no identity endpoint:
the `openid` scope makes the token endpoint add an ID token whose `sub` is the Google account id
(and whose `email` labels the account when `email` was granted).
"""

from __future__ import annotations

from datetime import date

from shared.providers import google_oauth
from shared.providers.base import AccountIdentity, OAuthClient, ProviderSettings, TokenSet, streams_of

_SCOPE = "https://www.googleapis.com/auth/fitness."
SCOPES = google_oauth.IDENTITY_SCOPES + tuple(
    f"{_SCOPE}{group}.read"
    for group in ("activity", "location", "body", "heart_rate", "sleep", "blood_pressure",
                  "blood_glucose", "oxygen_saturation", "body_temperature")
)


def _account(settings: ProviderSettings, tokens: TokenSet, client: OAuthClient) -> AccountIdentity:
    """Read `sub` (and `email`, when granted) from the ID token the token endpoint returned."""
    claims = google_oauth.id_token_claims("google_fit", tokens, client)
    email = claims.get("email")
    return AccountIdentity(claims["sub"], email if isinstance(email, str) and email else None)


GOOGLE_FIT = google_oauth.google_provider(
    name="google_fit",
    display_name="Google Fit",
    source="google-fit",
    settings_prefix="GOOGLE_FIT",
    api_url="https://fitness.googleapis.com",
    scopes=SCOPES,
    identity=_account,
    streams=streams_of("shared.providers.google_fit.streams"),
    end_of_service_default=date(2026, 12, 31),
)
