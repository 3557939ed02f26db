"""Connect a provider: start (state + PKCE + consent URL) and complete (the provider's callback).

The callback is anonymous, so whoever completes the consent may not be the person who started the
flow (RFC 9700, section 4.7): it stores a pending link, and the connection is made only when the
user who started the flow confirms it with their own bearer (`shared/link_confirm.py`).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared import oauth
from shared.budget.gate import BudgetGate, spend_waiting
from shared.clock import utc_now
from shared.config import Settings
from shared.crypto import Keyring
from shared.errors import (OAuthFlowError, ProviderError, RateLimited, ReauthRequired, RequestError,
                           TransientProviderError)
from shared.providers import get_provider
from shared.providers.base import Provider
from shared.return_to import allowed_return_to
from shared.store import connections as connection_store
from shared.store import oauth_states
from shared.store import pending_links

STATE_LIFETIME = timedelta(minutes=10)
# The code exchange and the identity call spend the provider's app-wide request budget too; a person
# waits on them, so the callback waits at most this long for room, then reports provider_unavailable.
CONNECT_BUDGET_WAIT_SECONDS = 10.0
PENDING_LINK_LIFETIME = timedelta(minutes=10)
MAX_OUTSTANDING_STATES = 10
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CallbackResult:
    """Where to send the browser after the callback, and with which status."""

    return_to: str | None
    provider: str
    status: str
    message: str
    link: str | None = None


def callback_uri(settings: Settings, provider: str) -> str:
    """Return the redirect URI registered with the provider."""
    return f"{settings.public_base_url}/api/oauth/{provider}/callback"


def refuse_after_end_of_service(provider: Provider, settings: Settings, now: datetime) -> None:
    """Refuse a provider whose service has ended.

    Raises:
        RequestError: 410 `provider_end_of_service`.
    """
    end = provider.end_of_service(settings)
    if end is not None and now.date() >= end:
        raise RequestError(410, "provider_end_of_service",
                           f"{provider.display_name} stopped accepting connections on {end.isoformat()}")


def start_connect(database, settings: Settings, keyring: Keyring, *, user_id: str, provider_name: str,
                  return_to: str | None, now: datetime) -> str:
    """Store a new state for the user and return the provider's authorization URL.

    Raises:
        RequestError: unknown provider (404), return_to not allowed (400), provider ended (410),
            not configured (503), or 429 `too_many_pending_connects` with MAX_OUTSTANDING_STATES open.
    """
    provider = get_provider(provider_name)
    target = allowed_return_to(return_to, settings.return_to_allowlist) if return_to else \
        settings.return_to_allowlist[0]
    refuse_after_end_of_service(provider, settings, now)
    client = provider.client(settings)
    state = oauth.new_state()
    verifier = oauth.new_pkce_verifier() if provider.uses_pkce else None
    with database.transaction() as cursor:
        oauth_states.purge_expired_states(cursor, now - timedelta(days=1))
        if oauth_states.lock_and_count_outstanding(cursor, user_id, now) >= MAX_OUTSTANDING_STATES:
            raise RequestError(429, "too_many_pending_connects",
                               "too many connections were started and not finished; finish one or wait"
                               f" {int(STATE_LIFETIME.total_seconds() // 60)} minutes",
                               {"Retry-After": str(int(STATE_LIFETIME.total_seconds()))})
        oauth_states.save_state(cursor, keyring, state=state, user_id=user_id, provider=provider.name,
                                pkce_verifier=verifier, return_to=target, expires_at=now + STATE_LIFETIME)
    return oauth.authorization_url(provider, client, callback_uri(settings, provider.name), state, verifier)


def complete_connect(database, settings: Settings, keyring: Keyring, *, provider_name: str,
                     params: Mapping[str, str], now: datetime) -> CallbackResult:
    """Consume the state, exchange the code and store a pending link for the user who started the flow.

    Raises:
        RequestError: unknown provider (404); a missing or never-issued state (400).
    """
    provider = get_provider(provider_name)
    state = params.get("state") or ""
    if not state:
        raise RequestError(400, "missing_state", "the callback has no state")
    with database.transaction() as cursor:
        stored = oauth_states.consume_state(cursor, keyring, state)
    if stored is None:
        raise RequestError(400, "invalid_state", "this sign-in link is not valid")
    try:
        _check_state(stored, provider.name, now)
        link = _finish(database, settings, keyring, provider, stored, params, now)
    except OAuthFlowError as error:
        log.info("connect %s for a user ended with %s", provider.name, error.code)
        return CallbackResult(stored.return_to, provider.name, error.code, str(error))
    log.info("connect %s: pending link stored, waiting for confirmation", provider.name)
    return CallbackResult(stored.return_to, provider.name, "pending", "waiting for confirmation", link)


def _check_state(stored: oauth_states.OAuthState, provider: str, now: datetime) -> None:
    if stored.already_used:
        raise OAuthFlowError("state_reused", "this sign-in link was already used")
    if stored.provider != provider:
        raise OAuthFlowError("state_provider_mismatch", "this sign-in link was issued for another provider")
    if stored.expires_at <= now:
        raise OAuthFlowError("state_expired", "this sign-in link has expired; start again")


def _finish(database, settings: Settings, keyring: Keyring, provider: Provider,
            stored: oauth_states.OAuthState, params: Mapping[str, str], now: datetime) -> str:
    error = params.get("error")
    if error:
        code = "access_denied" if error == "access_denied" else "provider_error"
        raise OAuthFlowError(code, "access was not granted" if code == "access_denied"
                             else "the provider reported an error")
    code = params.get("code")
    if not code:
        raise OAuthFlowError("missing_code", "the provider sent no authorization code")
    try:
        refuse_after_end_of_service(provider, settings, now)
    except RequestError as ended:
        raise OAuthFlowError(ended.code, str(ended)) from None
    client = provider.client(settings)
    budget = BudgetGate(database, provider.name, provider.budgets(settings), utc_now)
    try:
        spend_waiting(budget, CONNECT_BUDGET_WAIT_SECONDS)
        tokens = oauth.exchange_code(provider, client, callback_uri(settings, provider.name), code,
                                     stored.pkce_verifier)
    except ReauthRequired:
        raise OAuthFlowError("exchange_refused", "the provider refused the authorization code") from None
    except (TransientProviderError, RateLimited):
        raise OAuthFlowError("provider_unavailable", "the provider could not be reached; try again") from None
    except ProviderError:
        raise OAuthFlowError("exchange_refused", "the provider refused the authorization code") from None
    try:
        spend_waiting(budget, CONNECT_BUDGET_WAIT_SECONDS)  # counted even where the identity needs no call
        account = provider.account(settings, tokens, client)
    except (TransientProviderError, RateLimited):
        raise OAuthFlowError("provider_unavailable", "the provider could not be reached; try again") from None
    except ProviderError:
        raise OAuthFlowError("identity_failed", "the provider account could not be identified") from None
    scopes = tokens.scopes or tuple(params.get("scope", "").split()) or provider.scopes
    with database.transaction() as cursor:
        owner = connection_store.account_owner(cursor, provider.name, account.user_id)
        if owner is not None and owner != stored.user_id:
            # Not revoked: at Google a revocation would also cut the other user's grant.
            raise OAuthFlowError("account_linked_elsewhere",
                                 f"this {provider.display_name} account is linked to another Personicle user")
        link = secrets.token_urlsafe(32)  # 256 random bits; only its SHA-256 is stored
        pending_links.save_pending_link(
            cursor, keyring, code=link, user_id=stored.user_id, provider=provider.name,
            provider_user_id=account.user_id, account_label=account.label, scopes=scopes, tokens=tokens,
            default_expires_in=provider.default_expires_in, now=now, expires_at=now + PENDING_LINK_LIFETIME)
    return link
