"""Fitbit, through the Google Health API: Google OAuth with PKCE (docs/providers/fitbit.md 1 and 2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from shared.providers import google_oauth
from shared.providers.base import AccountIdentity, OAuthClient, Provider, ProviderSettings, TokenSet
from shared.providers.google_errors import google_error_details
from shared.providers.identity import identity_from

if TYPE_CHECKING:
    from shared.sync.streams import Stream

_SCOPE = "https://www.googleapis.com/auth/googlehealth."
SCOPES = (
    _SCOPE + "activity_and_fitness.readonly",
    _SCOPE + "health_metrics_and_measurements.readonly",
    _SCOPE + "sleep.readonly",
    _SCOPE + "settings.readonly",
    _SCOPE + "profile.readonly",
) + google_oauth.IDENTITY_SCOPES
_health_identity = identity_from("fitbit", "/v4/users/me/identity", "healthUserId")


def _account(settings: ProviderSettings, tokens: TokenSet, client: OAuthClient) -> AccountIdentity:
    """Read the Google Health id; label it with the Google account's e-mail from the ID token."""
    return replace(_health_identity(settings, tokens, client),
                   label=google_oauth.id_token_email("fitbit", tokens, client))


def _streams() -> Sequence[Stream]:
    from shared.providers.fitbit.streams import STREAMS

    return STREAMS


FITBIT = Provider(
    name="fitbit",
    display_name="Fitbit",
    source="fitbit",
    settings_prefix="FITBIT",
    endpoints=google_oauth.google_endpoints("https://health.googleapis.com"),
    scopes=SCOPES,
    uses_pkce=True,
    # `healthUserId` is stable and equals the user of the resource names (docs/providers/fitbit.md 2).
    identity=_account,
    streams=_streams,
    revoke=google_oauth.google_revoker("fitbit"),
    authorize_params=google_oauth.AUTHORIZE_PARAMS,
    error_quirk=google_error_details,
)
