"""Valid access tokens for a connection, refreshed under a row lock.

The refresh path: `SELECT ... FOR UPDATE` on the connection, re-check the expiry (another worker may
have refreshed meanwhile), call the provider, store the new tokens in the same transaction, then use
them. For providers with single-use refresh tokens this makes exactly one refresh call reach the
provider however many workers race. `invalid_grant` marks the connection `needs_reauth`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from shared import oauth
from shared.config import Settings
from shared.crypto import Keyring
from shared.errors import CryptoError, JobError, ReauthRequired, TokensUnreadable
from shared.providers.base import Provider
from shared.store import connections as connection_store
from shared.store.connections import StoredTokens

REFRESH_MARGIN = timedelta(minutes=2)
log = logging.getLogger(__name__)


def refresh_under_lock(cursor: Any, keyring: Keyring, settings: Settings, provider: Provider,
                       connection_id: uuid.UUID, *, now: datetime, rejected_access_token: str | None = None,
                       horizon: timedelta = REFRESH_MARGIN, force: bool = False,
                       before_refresh: Callable[[], None] | None = None) -> StoredTokens:
    """Lock the row, and refresh unless the stored token is still good; return the usable tokens.

    A token is still good when it expires after `now + horizon` and is not the one the provider just
    rejected (`force` refreshes anyway, to keep an unused refresh token alive). `before_refresh` runs
    just before the token call (a download job spends the app-wide request budget there). Call inside a
    transaction; it commits the new tokens with it.

    Raises:
        JobError: the connection is gone, not active, or has no tokens.
        ReauthRequired: no refresh token, or the provider refused it; the row is marked
            `needs_reauth` (the caller must commit).
        TokensUnreadable: the stored tokens do not decrypt; the row is marked `error` (the caller must commit).
        TransientProviderError: the token endpoint failed; nothing changed.
    """
    connection = connection_store.get_connection(cursor, connection_id, for_update=True)
    if connection is None or connection.status != "active":
        raise JobError("the connection is not active any more")
    try:
        stored = connection_store.load_tokens(cursor, keyring, connection_id)
    except CryptoError:
        connection_store.mark_error(
            cursor, connection_id, now=now,
            message=f"the stored {provider.display_name} access can no longer be read; connect again")
        log.warning("connection %s: stored tokens do not decrypt (retired key?); marked error", connection_id)
        raise TokensUnreadable(provider.name, "the stored tokens do not decrypt") from None
    if stored is None:
        raise JobError("the connection has no tokens")
    still_good = stored.expires_at is not None and stored.expires_at > now + horizon
    if still_good and not force and stored.access_token != rejected_access_token:
        return stored
    if stored.refresh_token is None:
        connection_store.mark_needs_reauth(cursor, connection_id, now=now,
                                           message=f"{provider.display_name} access expired; connect again")
        raise ReauthRequired(provider.name, "no refresh token")
    if before_refresh is not None:
        before_refresh()
    try:
        tokens = oauth.refresh(provider, provider.client(settings), stored.refresh_token)
    except ReauthRequired:
        connection_store.mark_needs_reauth(
            cursor, connection_id, now=now,
            message=f"{provider.display_name} no longer accepts this connection; connect again")
        log.info("connection %s needs re-authorisation", connection_id)
        raise
    log.info("connection %s: tokens refreshed", connection_id)
    return connection_store.store_refreshed_tokens(
        cursor, keyring, connection_id, tokens=tokens, previous_refresh_token=stored.refresh_token,
        default_expires_in=provider.default_expires_in, now=now)


class TokenKeeper:
    """Hand out a valid access token for one connection, refreshing when needed."""

    def __init__(self, database: Any, keyring: Keyring, settings: Settings, provider: Provider,
                 connection_id: uuid.UUID, clock: Callable[[], datetime],
                 before_refresh: Callable[[], None] | None = None) -> None:
        self._database = database
        self._keyring = keyring
        self._settings = settings
        self._provider = provider
        self._connection_id = connection_id
        self._clock = clock
        self._current: StoredTokens | None = None
        self._before_refresh = before_refresh

    def access_token(self, *, rejected: str | None = None) -> str:
        """Return a usable access token; after a 401 pass the rejected one to force a refresh."""
        now = self._clock()
        current = self._current
        if (current is not None and rejected is None and current.expires_at is not None
                and current.expires_at > now + REFRESH_MARGIN):
            return current.access_token
        reauth: ReauthRequired | None = None
        with self._database.transaction() as cursor:
            try:
                self._current = refresh_under_lock(cursor, self._keyring, self._settings, self._provider,
                                                   self._connection_id, now=now, rejected_access_token=rejected,
                                                   before_refresh=self._before_refresh)
            except ReauthRequired as error:
                reauth = error  # leave the block normally so `needs_reauth` is committed
        if reauth is not None:
            raise reauth
        assert self._current is not None
        return self._current.access_token
