"""Withings: every call a form POST with an `action`, errors inside HTTP 200 answers (docs/providers/withings.md 2).

No PKCE (not documented); client credentials in the form body; the token answer is an envelope
whose `userid` is the only account id; refresh tokens rotate (single use under the row lock);
authorization codes live 30 seconds, so the callback exchanges them at once; scopes are joined by
commas in the authorization request.
"""

from __future__ import annotations

from shared.budget.limits import RequestBudget
from shared.errors import TransientProviderError
from shared.providers.base import (AccountIdentity, Endpoints, OAuthClient, Provider, ProviderSettings, TokenSet,
                                   Webhook, WebhookSetting, streams_of)
from shared.providers.lazy import imported
from shared.providers.withings.envelope import ERRORS, token_answer
from shared.providers.withings.revoke import revoke

# `user.info` as Withings' own example asks, though no data call here depends on it (2.3).
SCOPES = ("user.info", "user.metrics", "user.activity")

ENDPOINTS = Endpoints(
    authorize_url="https://account.withings.com/oauth2_user/authorize2",
    token_url="https://wbsapi.withings.net/v2/oauth2",
    revoke_url="https://wbsapi.withings.net/v2/oauth2",
    api_url="https://wbsapi.withings.net",
)
ACCESS_TOKEN_SECONDS = 10800


def _identity(settings: ProviderSettings, tokens: TokenSet, client: OAuthClient) -> AccountIdentity:
    """Return the `userid` of the token answer: Withings has no identity call for third-party apps (2.5).

    The token answer carries no e-mail or name, so the account has no label.
    """
    if not tokens.user_id:
        raise TransientProviderError("withings", "the Withings token answer has no userid")
    return AccountIdentity(tokens.user_id)


# Per-user subscriptions made at confirmation and revoked at disconnect; unsigned, so a secret in the URL (8).
WEBHOOK = Webhook(
    settings=(
        WebhookSetting("secret", "SECRET",
                       "Random secret put in the callback URL Withings calls (`?secret=`) and checked on every"
                       " notification (unset: Withings notifications refused, no subscriptions made)", secret=True),
        WebhookSetting("callback_url", "CALLBACK_URL",
                       "URL Withings sends notifications to, without the secret (default:"
                       " <PUBLIC_BASE_URL>/api/webhooks/withings)"),
    ),
    receiver=imported("shared.providers.withings.webhook", "receiver"),
    subscriptions=imported("shared.providers.withings.notify", "subscriptions"),
)

WITHINGS = Provider(
    name="withings", display_name="Withings",
    endpoints=ENDPOINTS,
    scopes=SCOPES,
    uses_pkce=False,
    identity=_identity,
    streams=streams_of("shared.providers.withings.streams"),
    revoke=revoke,
    default_expires_in=ACCESS_TOKEN_SECONDS,
    error_quirk=ERRORS,
    token_params={"action": "requesttoken"},
    token_answer=token_answer,
    scope_separator=",",
    # Withings allows 120 calls a minute for the whole app (6); we keep 10% back.
    request_budgets=(RequestBudget(108, 60),),
    webhook=WEBHOOK,
)
