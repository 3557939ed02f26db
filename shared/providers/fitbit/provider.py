"""Fitbit, through the Google Health API: Google OAuth with PKCE (docs/providers/fitbit.md 1 and 2)."""

from __future__ import annotations

from dataclasses import replace

from shared.providers import google_oauth
from shared.providers.base import (
    AccountIdentity,
    OAuthClient,
    ProviderSettings,
    TokenSet,
    Webhook,
    WebhookSetting,
    streams_of,
)
from shared.providers.identity import identity_from
from shared.providers.lazy import imported

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


WEBHOOK = Webhook(
    settings=(
        WebhookSetting("authorization", "AUTHORIZATION",
                       "Full Authorization header value Google sends with each notification, e.g. `Bearer <random>`"
                       " (unset: Google Health webhooks refused)", secret=True),
        WebhookSetting("keyset_url", "KEYSET_URL", "Google's public Tink keyset for notification signatures",
                       "https://www.gstatic.com/googlehealthapi/webhooks/webhooks_public_keyset.json"),
        WebhookSetting("project_number", "PROJECT_NUMBER",
                       "Google Cloud project number owning the subscriber (registration command)"),
        WebhookSetting("subscriber_id", "SUBSCRIBER_ID", "Subscriber id at Google (registration command)",
                       "personicle-connect"),
        WebhookSetting("endpoint_url", "ENDPOINT_URL",
                       "URL Google sends notifications to (default: <PUBLIC_BASE_URL>/api/webhooks/fitbit)"),
    ),
    receiver=imported("shared.providers.fitbit.webhook", "receiver"),
    registrar=imported("shared.providers.fitbit.subscriber", "registrar"),
)

FITBIT = google_oauth.google_provider(
    name="fitbit",
    display_name="Fitbit",
    api_url="https://health.googleapis.com",
    scopes=SCOPES,
    # `healthUserId` is stable and equals the user of the resource names (docs/providers/fitbit.md 2).
    identity=_account,
    streams=streams_of("shared.providers.fitbit.streams"),
    webhook=WEBHOOK,
)
