"""Fitbit, through the Google Health API: Google OAuth with PKCE (docs/providers/fitbit.md 1 and 2)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from shared.providers import google_oauth
from shared.providers.base import Provider
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
)


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
    identity=identity_from("fitbit", "/v4/users/me/identity", "healthUserId"),
    streams=_streams,
    revoke=google_oauth.google_revoker("fitbit"),
    authorize_params=google_oauth.AUTHORIZE_PARAMS,
    error_quirk=google_error_details,
)
