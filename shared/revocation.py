"""Revoke a connection's grant at its provider, under the row lock the caller holds.

The caller locks the connection row (`SELECT ... FOR UPDATE`) and keeps the lock until the tokens
are deleted, so no concurrent refresh can replace the tokens between reading and revoking them
(a refresh with single-use refresh tokens issues new tokens; revoking the old ones would leave the new grant alive).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.config import Settings
from shared.crypto import Keyring
from shared.errors import CryptoError, JobError, ProviderError, RequestError
from shared.providers.base import Provider, TokenSet
from shared.store import connections as connection_store
from shared.store.connections import StoredTokens
from shared.webhooks.user_subscriptions import unsubscribe_user

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Revocation:
    """The outcome of one revocation: `revoked`, `failed`, `not_supported` or `no_tokens`, and a note."""

    outcome: str
    note: str | None = None


def revoke_locked(cursor: Any, settings: Settings, keyring: Keyring, provider: Provider,
                  connection_id: uuid.UUID, *, now: datetime) -> Revocation:
    """Revoke the grant of a connection whose row the caller has locked; never raise for the provider.

    Tokens that cannot be decrypted (a retired key) or a provider that refuses count as `failed`: the
    caller deletes the tokens anyway.
    """
    try:
        stored = connection_store.load_tokens(cursor, keyring, connection_id)
    except CryptoError:
        log.warning("connection %s: tokens cannot be decrypted with the keyring; deleted without revocation",
                    connection_id)
        return Revocation("failed", f"the stored tokens could not be read, so access at {provider.display_name}"
                                    " was not revoked; the tokens were deleted here anyway")
    if stored is None:
        return Revocation("no_tokens")
    if provider.revoke is None:
        return Revocation("not_supported")
    if provider.revoke_needs_live_access_token:
        stored = _with_live_access_token(cursor, settings, keyring, provider, connection_id, stored, now)
    connection = connection_store.get_connection(cursor, connection_id)
    account = connection.provider_user_id if connection is not None else None
    tokens = TokenSet(stored.access_token, stored.refresh_token, None, None, user_id=account)
    unsubscribe_user(provider, settings, tokens, connection_id)
    try:
        provider.revoke(provider.client(settings), tokens)
    except (ProviderError, RequestError) as error:
        log.warning("revocation for connection %s failed (%s)", connection_id, type(error).__name__)
        return Revocation("failed", f"revocation at {provider.display_name} failed; the tokens were deleted here"
                                    " anyway")
    return Revocation("revoked")


def _with_live_access_token(cursor: Any, settings: Settings, keyring: Keyring, provider: Provider,
                            connection_id: uuid.UUID, stored: StoredTokens, now: datetime) -> StoredTokens:
    """Refresh an expired access token first; on failure keep the old one (the revocation then fails)."""
    from shared.sync.tokens import REFRESH_MARGIN, refresh_under_lock

    if stored.expires_at is not None and stored.expires_at > now + REFRESH_MARGIN:
        return stored
    cursor.execute("SAVEPOINT revoke_refresh")
    try:
        fresh = refresh_under_lock(cursor, keyring, settings, provider, connection_id, now=now)
    except (JobError, ProviderError, RequestError) as error:
        cursor.execute("ROLLBACK TO SAVEPOINT revoke_refresh")
        log.info("connection %s: access token not refreshed before revocation (%s)", connection_id,
                 type(error).__name__)
        return stored
    cursor.execute("RELEASE SAVEPOINT revoke_refresh")
    return fresh
