"""The signed-in user's connections: list them, disconnect one, ask for a sync now."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from shared.config import Settings
from shared.crypto import Keyring
from shared.errors import ProviderError, RequestError
from shared.jobs import DownloadJob, enqueue_job
from shared.providers import PROVIDERS, get_provider
from shared.providers.base import TokenSet
from shared.store import connections as connection_store
from shared.store import cursors as cursor_store
from shared.sync.progress import StreamProgress, stream_progress

SYNC_PENDING_HOLD = timedelta(hours=1)
log = logging.getLogger(__name__)


def describe_connections(database, settings: Settings, user_id: str) -> list[dict]:
    """Return the user's connections as the API shows them (no tokens)."""
    with database.transaction() as cursor:
        rows = connection_store.list_connections(cursor, user_id)
        cursors = {row.id: cursor_store.load_cursors(cursor, row.id) for row in rows}
    described = []
    for row in rows:
        provider = PROVIDERS.get(row.provider)
        end = provider.end_of_service(settings) if provider else None
        described.append({
            "provider": row.provider,
            "status": row.status,
            "scopes": list(row.scopes),
            "connected_at": row.connected_at.isoformat(),
            "last_sync_at": row.last_sync_at.isoformat() if row.last_sync_at else None,
            "last_error": row.last_error,
            "end_of_service": end.isoformat() if end else None,
            "streams": _streams(provider, row.scopes, cursors[row.id]) if provider else [],
        })
    return described


def _streams(provider, scopes, cursors: dict) -> list[dict]:
    """Return each declared stream's progress; one not read yet is `pending`, or `not_granted`."""
    shown = []
    for stream in provider.streams():
        cursor = cursors.get(stream.name)
        if cursor is None:
            status = "pending" if stream.allowed_by(scopes) else "not_granted"
            shown.append(StreamProgress(stream.name, status, None, None, None, None, None, None).to_json())
        else:
            shown.append(stream_progress(cursor).to_json())
    return shown


def disconnect(database, settings: Settings, keyring: Keyring, *, user_id: str, provider_name: str,
               now: datetime) -> dict:
    """Revoke the grant at the provider where possible, delete the tokens, keep the row as revoked.

    Returns:
        `{"provider", "status": "revoked", "revocation": "revoked" | "failed" | "not_supported" | "no_tokens"}`.

    Raises:
        RequestError: 404 when the user has no connection to the provider.
    """
    provider = get_provider(provider_name)
    with database.transaction() as cursor:
        connection = connection_store.find_connection(cursor, user_id, provider.name)
        if connection is None:
            raise RequestError(404, "not_connected", f"{provider.display_name} is not connected")
        stored = connection_store.load_tokens(cursor, keyring, connection.id)
    revocation, note = "no_tokens", None
    if stored is not None and provider.revoke is None:
        revocation = "not_supported"
    elif stored is not None:
        try:
            provider.revoke(provider.client(settings), TokenSet(stored.access_token, stored.refresh_token, None, None))
            revocation = "revoked"
        except (ProviderError, RequestError) as error:
            revocation = "failed"
            note = f"revocation at {provider.display_name} failed; the tokens were deleted here anyway"
            log.warning("revocation for connection %s failed (%s)", connection.id, type(error).__name__)
    with database.transaction() as cursor:
        connection_store.mark_revoked(cursor, connection.id, note=note, now=now)
    log.info("connection %s revoked (revocation: %s)", connection.id, revocation)
    return {"provider": provider.name, "status": "revoked", "revocation": revocation}


def request_sync(database, *, user_id: str, provider_name: str, now: datetime) -> dict:
    """Queue an incremental sync unless one is already pending.

    Raises:
        RequestError: 404 not connected, 409 not active or already pending.
    """
    provider = get_provider(provider_name)
    with database.transaction() as cursor:
        connection = connection_store.find_connection(cursor, user_id, provider.name)
        if connection is None:
            raise RequestError(404, "not_connected", f"{provider.display_name} is not connected")
        if connection.status != "active":
            raise RequestError(409, "connection_not_active",
                               f"{provider.display_name} is {connection.status}; connect it again first")
        claimed = connection_store.claim_sync_slot(cursor, connection.id, now=now, hold=SYNC_PENDING_HOLD)
    if not claimed:
        raise RequestError(409, "sync_already_pending", "a sync is already pending for this connection")
    try:
        enqueue_job(DownloadJob(connection.id, provider.name, "manual"))
    except Exception:
        with database.transaction() as cursor:
            connection_store.release_sync_slot(cursor, connection.id)
        raise
    return {"provider": provider.name, "status": "queued"}
