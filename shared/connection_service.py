"""The signed-in user's connections: list them, disconnect one, ask for a sync now."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from shared.config import Settings
from shared.crypto import Keyring
from shared.errors import RequestError
from shared.jobs import DownloadJob, enqueue_job
from shared.providers import PROVIDERS, get_provider
from shared.revocation import revoke_locked
from shared.store import connections as connection_store
from shared.store import cursors as cursor_store
from shared.sync.progress import StreamProgress, stream_progress

SYNC_PENDING_HOLD = timedelta(hours=1)
log = logging.getLogger(__name__)


def describe_connection(row: connection_store.Connection, settings: Settings,
                        cursors: Mapping[str, Any] | None = None) -> dict:
    """Return one connection as the API shows it (no tokens), with each stream's progress from `cursors`."""
    provider = PROVIDERS.get(row.provider)
    end = provider.end_of_service(settings) if provider else None
    return {
        "provider": row.provider,
        "status": row.status,
        "account_label": row.account_label,
        "scopes": list(row.scopes),
        "connected_at": row.connected_at.isoformat(),
        "last_sync_at": row.last_sync_at.isoformat() if row.last_sync_at else None,
        "last_error": row.last_error,
        "end_of_service": end.isoformat() if end else None,
        "streams": _streams(provider, row.scopes, cursors or {}) if provider else [],
    }


def describe_connections(database, settings: Settings, user_id: str) -> list[dict]:
    """Return the user's connections as the API shows them (no tokens)."""
    with database.transaction() as cursor:
        rows = connection_store.list_connections(cursor, user_id)
        cursors = {row.id: cursor_store.load_cursors(cursor, row.id) for row in rows}
    return [describe_connection(row, settings, cursors[row.id]) for row in rows]


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

    The row stays locked from reading the tokens to deleting them, so a concurrent refresh waits.

    Returns:
        `{"provider", "status": "revoked", "revocation": "revoked" | "failed" | "not_supported" | "no_tokens"}`.

    Raises:
        RequestError: 404 when the user has no connection to the provider.
    """
    provider = get_provider(provider_name)
    with database.transaction() as cursor:
        connection = connection_store.find_connection(cursor, user_id, provider.name, for_update=True)
        if connection is None:
            raise RequestError(404, "not_connected", f"{provider.display_name} is not connected")
        revocation = revoke_locked(cursor, settings, keyring, provider, connection.id, now=now)
        connection_store.mark_revoked(cursor, connection.id, note=revocation.note, now=now)
    log.info("connection %s revoked (revocation: %s)", connection.id, revocation.outcome)
    return {"provider": provider.name, "status": "revoked", "revocation": revocation.outcome}


def request_sync(database, settings: Settings, *, user_id: str, provider_name: str, now: datetime) -> dict:
    """Queue an incremental sync unless one is already pending or the last manual one was too recent.

    Raises:
        RequestError: 404 not connected, 409 not active or already pending, 429 `sync_too_soon`
            (with `Retry-After`) within MANUAL_SYNC_MIN_INTERVAL_MINUTES of the last manual sync.
    """
    provider = get_provider(provider_name)
    interval = timedelta(minutes=settings.manual_sync_min_interval_minutes)
    with database.transaction() as cursor:
        connection = connection_store.find_connection(cursor, user_id, provider.name, for_update=True)
        if connection is None:
            raise RequestError(404, "not_connected", f"{provider.display_name} is not connected")
        if connection.status != "active":
            raise RequestError(409, "connection_not_active",
                               f"{provider.display_name} is {connection.status}; connect it again first")
        last = connection_store.last_manual_sync_at(cursor, connection.id)
        if last is not None and now < last + interval:
            wait = max(1, math.ceil((last + interval - now).total_seconds()))
            raise RequestError(429, "sync_too_soon",
                               f"a sync was asked for less than {settings.manual_sync_min_interval_minutes}"
                               f" minutes ago; try again in {wait} seconds", {"Retry-After": str(wait)})
        claimed = connection_store.claim_sync_slot(cursor, connection.id, now=now, hold=SYNC_PENDING_HOLD)
        if claimed:
            connection_store.record_manual_sync(cursor, connection.id, now=now)
    if not claimed:
        raise RequestError(409, "sync_already_pending", "a sync is already pending for this connection")
    try:
        enqueue_job(DownloadJob(connection.id, provider.name, "manual"))
    except Exception:
        with database.transaction() as cursor:
            connection_store.release_sync_slot(cursor, connection.id)
            connection_store.record_manual_sync(cursor, connection.id, now=None)
        raise
    return {"provider": provider.name, "status": "queued"}
