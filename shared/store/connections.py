"""Connections: one row per Personicle user and provider, tokens encrypted, kept as `revoked` for audit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared.crypto import Keyring
from shared.providers.base import TokenSet

_COLUMNS = ("id, user_id, provider, status, scopes, provider_user_id, connected_at, last_sync_at,"
            " last_error, access_token_expires_at, access_token_enc IS NOT NULL, account_label")


@dataclass(frozen=True)
class Connection:
    """A connection row without its tokens."""

    id: uuid.UUID
    user_id: str
    provider: str
    status: str
    scopes: tuple[str, ...]
    provider_user_id: str | None
    connected_at: datetime
    last_sync_at: datetime | None
    last_error: str | None
    access_token_expires_at: datetime | None
    has_tokens: bool
    account_label: str | None = None


@dataclass(frozen=True)
class StoredTokens:
    """A connection's decrypted tokens."""

    access_token: str
    refresh_token: str | None
    expires_at: datetime | None


def _connection(row: tuple) -> Connection:
    return Connection(uuid.UUID(str(row[0])), row[1], row[2], row[3], tuple(row[4] or ()), row[5], row[6],
                      row[7], row[8], row[9], bool(row[10]), row[11])


def token_binding(connection_id: uuid.UUID, column: str) -> str:
    """Return the associated data binding a token ciphertext to its row and column."""
    return f"connection:{connection_id}:{column}"


def find_connection(cursor: Any, user_id: str, provider: str, *, for_update: bool = False) -> Connection | None:
    """Return the user's connection to `provider`, if any (locking the row when asked)."""
    lock = " FOR UPDATE" if for_update else ""
    cursor.execute(f"SELECT {_COLUMNS} FROM connections WHERE user_id = %s AND provider = %s{lock}",
                   (user_id, provider))
    row = cursor.fetchone()
    return _connection(row) if row else None


def get_connection(cursor: Any, connection_id: uuid.UUID, *, for_update: bool = False) -> Connection | None:
    """Return a connection by id (locking the row when asked)."""
    lock = " FOR UPDATE" if for_update else ""
    cursor.execute(f"SELECT {_COLUMNS} FROM connections WHERE id = %s{lock}", (str(connection_id),))
    row = cursor.fetchone()
    return _connection(row) if row else None


def list_connections(cursor: Any, user_id: str, *, for_update: bool = False) -> list[Connection]:
    """Return the user's connections, by provider name (locking the rows when asked)."""
    lock = " FOR UPDATE" if for_update else ""
    cursor.execute(f"SELECT {_COLUMNS} FROM connections WHERE user_id = %s ORDER BY provider{lock}", (user_id,))
    return [_connection(row) for row in cursor.fetchall()]


def account_owner(cursor: Any, provider: str, provider_user_id: str) -> str | None:
    """Return the Personicle user holding a live link to this provider account, if any."""
    cursor.execute(
        "SELECT user_id FROM connections WHERE provider = %s AND provider_user_id = %s AND status <> 'revoked'",
        (provider, provider_user_id))
    row = cursor.fetchone()
    return row[0] if row else None


def save_connected(cursor: Any, keyring: Keyring, *, user_id: str, provider: str, provider_user_id: str,
                   scopes: tuple[str, ...], tokens: TokenSet, default_expires_in: int, now: datetime,
                   account_label: str | None = None) -> Connection:
    """Create or reconnect the user's connection with fresh encrypted tokens.

    A reconnect keeps the row id, so the sync cursors survive, unless it links a different provider
    account: then the cursors are reset and the new account is backfilled in full. A reconnect clears
    the lease, so a job still running for the previous link stops at its next page. The backfill the
    caller queues next counts as the pending sync, so the scheduler does not queue a second one beside it.
    """
    cursor.execute("SELECT id, provider_user_id FROM connections WHERE user_id = %s AND provider = %s FOR UPDATE",
                   (user_id, provider))
    row = cursor.fetchone()
    if row is not None and row[1] is not None and row[1] != provider_user_id:
        # Another account of the provider: its history is not the one the cursors describe.
        cursor.execute("DELETE FROM sync_cursors WHERE connection_id = %s", (str(row[0]),))
    if row is None:
        cursor.execute(
            "INSERT INTO connections (id, user_id, provider, status) VALUES (%s, %s, %s, 'active')"
            " ON CONFLICT (user_id, provider) DO NOTHING", (str(uuid.uuid4()), user_id, provider))
        cursor.execute("SELECT id FROM connections WHERE user_id = %s AND provider = %s FOR UPDATE",
                       (user_id, provider))
        row = cursor.fetchone()
    connection_id = uuid.UUID(str(row[0]))
    expires_at = now + timedelta(seconds=tokens.expires_in or default_expires_in)
    cursor.execute(
        "UPDATE connections SET status = 'active', scopes = %s, provider_user_id = %s, account_label = %s,"
        " token_key_id = %s,"
        " access_token_enc = %s, refresh_token_enc = %s, access_token_expires_at = %s,"
        " tokens_refreshed_at = %s, refresh_failures = 0, next_refresh_attempt_at = NULL,"
        " connected_at = %s, updated_at = %s, next_sync_at = %s, last_error = NULL, last_error_at = NULL,"
        " revoked_at = NULL, sync_pending_until = %s + interval '1 hour', lease_holder = NULL, lease_until = NULL"
        " WHERE id = %s",
        (list(scopes), provider_user_id, account_label, keyring.active_key_id,
         keyring.encrypt(tokens.access_token, associated_data=token_binding(connection_id, "access_token")),
         keyring.encrypt(tokens.refresh_token, associated_data=token_binding(connection_id, "refresh_token"))
         if tokens.refresh_token else None,
         expires_at, now, now, now, now, now, str(connection_id)))
    found = get_connection(cursor, connection_id)
    assert found is not None
    return found


def load_tokens(cursor: Any, keyring: Keyring, connection_id: uuid.UUID) -> StoredTokens | None:
    """Return the connection's decrypted tokens, or None when it has none."""
    cursor.execute(
        "SELECT access_token_enc, refresh_token_enc, access_token_expires_at FROM connections WHERE id = %s",
        (str(connection_id),))
    row = cursor.fetchone()
    if row is None or row[0] is None:
        return None
    access = keyring.decrypt(bytes(row[0]), associated_data=token_binding(connection_id, "access_token"))
    refresh = (keyring.decrypt(bytes(row[1]), associated_data=token_binding(connection_id, "refresh_token"))
               if row[1] is not None else None)
    return StoredTokens(access, refresh, row[2])


def mark_revoked(cursor: Any, connection_id: uuid.UUID, *, note: str | None, now: datetime) -> None:
    """Delete the tokens and keep the row as `revoked`, with a note when revocation failed.

    The UPDATE waits for a job delivering a page (it share-locks the row), and clears the lease.
    """
    cursor.execute(
        "UPDATE connections SET status = 'revoked', access_token_enc = NULL, refresh_token_enc = NULL,"
        " token_key_id = NULL, access_token_expires_at = NULL, revoked_at = %s, updated_at = %s,"
        " lease_holder = NULL, lease_until = NULL,"
        " sync_pending_until = NULL, next_sync_at = NULL, last_error = %s, last_error_at = %s WHERE id = %s",
        (now, now, note, now if note else None, str(connection_id)))


def claim_sync_slot(cursor: Any, connection_id: uuid.UUID, *, now: datetime, hold: timedelta) -> bool:
    """Mark a sync as pending unless one already is; return True when this call claimed it."""
    cursor.execute(
        "UPDATE connections SET sync_pending_until = %s, updated_at = %s"
        " WHERE id = %s AND status = 'active' AND (sync_pending_until IS NULL OR sync_pending_until <= %s)"
        " RETURNING id",
        (now + hold, now, str(connection_id), now))
    return cursor.fetchone() is not None


def last_manual_sync_at(cursor: Any, connection_id: uuid.UUID) -> datetime | None:
    """Return when a manual sync of the connection was last queued, if ever."""
    cursor.execute("SELECT last_manual_sync_at FROM connections WHERE id = %s", (str(connection_id),))
    row = cursor.fetchone()
    return row[0] if row else None


def record_manual_sync(cursor: Any, connection_id: uuid.UUID, *, now: datetime | None) -> None:
    """Record when a manual sync was queued (None: it could not be queued after all)."""
    cursor.execute("UPDATE connections SET last_manual_sync_at = %s WHERE id = %s", (now, str(connection_id)))


def release_sync_slot(cursor: Any, connection_id: uuid.UUID) -> None:
    """Clear the pending-sync mark (the job could not be queued, or it finished)."""
    cursor.execute("UPDATE connections SET sync_pending_until = NULL WHERE id = %s", (str(connection_id),))


def store_refreshed_tokens(cursor: Any, keyring: Keyring, connection_id: uuid.UUID, *, tokens: TokenSet,
                           previous_refresh_token: str | None, default_expires_in: int, now: datetime) -> StoredTokens:
    """Store the tokens of a refresh (a new refresh token replaces the old one when the provider sent one)."""
    refresh_token = tokens.refresh_token or previous_refresh_token
    expires_at = now + timedelta(seconds=tokens.expires_in or default_expires_in)
    cursor.execute(
        "UPDATE connections SET access_token_enc = %s, refresh_token_enc = %s, token_key_id = %s,"
        " access_token_expires_at = %s, tokens_refreshed_at = %s, refresh_failures = 0,"
        " next_refresh_attempt_at = NULL, updated_at = %s WHERE id = %s",
        (keyring.encrypt(tokens.access_token, associated_data=token_binding(connection_id, "access_token")),
         keyring.encrypt(refresh_token, associated_data=token_binding(connection_id, "refresh_token"))
         if refresh_token else None,
         keyring.active_key_id, expires_at, now, now, str(connection_id)))
    return StoredTokens(tokens.access_token, refresh_token, expires_at)


def mark_needs_reauth(cursor: Any, connection_id: uuid.UUID, *, message: str, now: datetime) -> None:
    """Mark the connection as needing the user to connect again, with a plain-words reason."""
    cursor.execute(
        "UPDATE connections SET status = 'needs_reauth', last_error = %s, last_error_at = %s, updated_at = %s,"
        " sync_pending_until = NULL WHERE id = %s AND status = 'active'",
        (message, now, now, str(connection_id)))


def mark_error(cursor: Any, connection_id: uuid.UUID, *, message: str, now: datetime) -> None:
    """Mark a connection that cannot sync until the user connects again: status `error`, with the reason."""
    cursor.execute(
        "UPDATE connections SET status = 'error', last_error = %s, last_error_at = %s, updated_at = %s,"
        " sync_pending_until = NULL, next_sync_at = NULL WHERE id = %s AND status = 'active'",
        (message, now, now, str(connection_id)))


def mark_service_ended(cursor: Any, connection_id: uuid.UUID, *, message: str, now: datetime) -> None:
    """Mark a connection whose provider ended its service: status `error`, with the reason."""
    cursor.execute(
        "UPDATE connections SET status = 'error', last_error = %s, last_error_at = %s, updated_at = %s,"
        " sync_pending_until = NULL, next_sync_at = NULL WHERE id = %s",
        (message, now, now, str(connection_id)))


def record_sync_finished(cursor: Any, connection_id: uuid.UUID, *, succeeded: bool, error: str | None,
                         now: datetime, next_sync_at: datetime) -> None:
    """Record the end of a sync: last success time, last error (None clears it), next due time."""
    cursor.execute(
        "UPDATE connections SET last_sync_at = CASE WHEN %s THEN %s ELSE last_sync_at END,"
        " last_error = %s, last_error_at = CASE WHEN %s IS NULL THEN last_error_at ELSE %s END,"
        " next_sync_at = %s, sync_pending_until = NULL, updated_at = %s WHERE id = %s",
        (succeeded, now, error, error, now, next_sync_at, now, str(connection_id)))
