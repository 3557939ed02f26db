"""Confirm a pending link: only the user who started the flow turns it into a connection.

The callback is anonymous, so the consent may have been given by someone else than the person who
started the flow (consent phishing, RFC 9700 section 4.7). The pending link's one-time code comes
back to the frontend; the frontend confirms it with the signed-in user's bearer. Another user's
bearer discards the link and revokes the grant at the provider.
"""

from __future__ import annotations

import logging
from datetime import datetime

from shared.config import Settings
from shared.connect_flow import refuse_after_end_of_service
from shared.connection_service import describe_connection
from shared.crypto import Keyring
from shared.errors import ProviderError, RequestError
from shared.jobs import DownloadJob, enqueue_job
from shared.providers import get_provider
from shared.providers.base import Provider, TokenSet
from shared.store import connections as connection_store
from shared.store import pending_links
from shared.store.pending_links import PendingLink
from shared.webhooks.user_subscriptions import subscribe_user

log = logging.getLogger(__name__)


def link_refusal(link: PendingLink | None, *, provider: str, user_id: str, now: datetime) -> RequestError | None:
    """Return why `user_id` may not confirm this link for `provider`, or None when they may.

    Unknown, used or another provider's link: 400 `invalid_link`; expired: 410 `link_expired`;
    another user's: 403 `link_user_mismatch`.
    """
    if link is None or link.provider != provider or link.used:
        return RequestError(400, "invalid_link", "this connection link is not valid or was already used")
    if link.expires_at <= now:
        return RequestError(410, "link_expired", "this connection link has expired; connect again")
    if link.user_id != user_id:
        return RequestError(403, "link_user_mismatch",
                            "this connection was started by another Personicle user; it was cancelled")
    return None


def revoke_link_grant(provider: Provider, settings: Settings, link: PendingLink) -> bool:
    """Revoke the grant a pending link holds at the provider; return False when that failed."""
    if link.tokens is None or provider.revoke is None:
        return link.tokens is None
    try:
        provider.revoke(provider.client(settings),
                        TokenSet(link.tokens.access_token, link.tokens.refresh_token, None, None,
                                 user_id=link.provider_user_id))
    except (ProviderError, RequestError) as error:
        log.warning("revocation of a pending %s link failed (%s)", provider.name, type(error).__name__)
        return False
    return True


def confirm_link(database, settings: Settings, keyring: Keyring, *, user_id: str, provider_name: str, code: str,
                 now: datetime) -> dict:
    """Turn the user's pending link into an active connection, queue its backfill and return it as listed.

    Raises:
        RequestError: 400 `invalid_link`, 410 `link_expired`, 403 `link_user_mismatch` (the link is
            discarded and the grant revoked unless the account has a live connection), 409
            `account_linked_elsewhere` (discarded, not revoked: at Google that would also cut the other
            user's grant), 410 `provider_end_of_service`.
    """
    provider = get_provider(provider_name)
    refuse_after_end_of_service(provider, settings, now)
    with database.transaction() as cursor:
        link = pending_links.lock_link(cursor, keyring, code)
        refusal = link_refusal(link, provider=provider.name, user_id=user_id, now=now)
        if refusal is not None and refusal.code != "link_user_mismatch":
            raise refusal
        assert link is not None and link.tokens is not None
        pending_links.mark_used(cursor, link.link_hash, now=now)
        owner = connection_store.account_owner(cursor, provider.name, link.provider_user_id)
        connection = None
        if refusal is None and (owner is None or owner == user_id):
            connection = connection_store.save_connected(
                cursor, keyring, user_id=user_id, provider=provider.name, provider_user_id=link.provider_user_id,
                scopes=link.scopes, tokens=_remaining(link, now), default_expires_in=provider.default_expires_in,
                now=now, account_label=link.account_label)
    if refusal is not None:
        # A grant whose account also has a live connection stays: at Google a revocation would cut it too.
        revoked = owner is None and revoke_link_grant(provider, settings, link)
        log.warning("a pending %s link was presented by another user: discarded, grant %s", provider.name,
                    "revoked" if revoked else "not revoked (linked account, or revocation failed)")
        raise refusal
    if connection is None:
        raise RequestError(409, "account_linked_elsewhere",
                           f"this {provider.display_name} account is linked to another Personicle user")
    _queue_backfill(database, connection.id, provider.name)
    subscribe_user(provider, settings, _remaining(link, now), connection.id)
    log.info("connect %s: connection %s confirmed, backfill queued", provider.name, connection.id)
    return describe_connection(connection, settings)


def _remaining(link: PendingLink, now: datetime) -> TokenSet:
    """Return the link's tokens with the access token's remaining lifetime."""
    assert link.tokens is not None
    expires_in = None
    if link.tokens.expires_at is not None:
        expires_in = max(1, int((link.tokens.expires_at - now).total_seconds()))
    return TokenSet(link.tokens.access_token, link.tokens.refresh_token, expires_in, link.scopes,
                    user_id=link.provider_user_id)


def _queue_backfill(database, connection_id, provider: str) -> None:
    """Queue the first download; if the queue is down, the scheduler picks the connection up later."""
    try:
        enqueue_job(DownloadJob(connection_id, provider, "backfill"))
    except Exception as error:  # noqa: BLE001 - the connection is due, so the scheduler queues it later
        log.warning("backfill for connection %s not queued now (%s); the scheduler will queue it",
                    connection_id, type(error).__name__)
        with database.transaction() as cursor:
            connection_store.release_sync_slot(cursor, connection_id)
