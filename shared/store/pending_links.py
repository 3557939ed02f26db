"""Pending links: a completed consent awaiting its confirmation; the code stored hashed, the tokens encrypted."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared.crypto import Keyring
from shared.providers.base import TokenSet
from shared.store.connections import StoredTokens

_COLUMNS = ("link_hash, user_id, provider, provider_user_id, account_label, scopes, access_token_enc,"
            " refresh_token_enc, access_token_expires_at, expires_at, used_at IS NOT NULL")


@dataclass(frozen=True)
class PendingLink:
    """A pending link row, its tokens decrypted (None once used)."""

    link_hash: bytes
    user_id: str
    provider: str
    provider_user_id: str
    account_label: str | None
    scopes: tuple[str, ...]
    tokens: StoredTokens | None
    expires_at: datetime
    used: bool


def hash_link(code: str) -> bytes:
    """Return the stored form of a link code."""
    return hashlib.sha256(code.encode("utf-8")).digest()


def _binding(link_hash: bytes, column: str) -> str:
    return f"pending_link:{link_hash.hex()}:{column}"


def _link(keyring: Keyring, row: tuple) -> PendingLink:
    link_hash = bytes(row[0])
    tokens = None
    if row[6] is not None:
        refresh = (keyring.decrypt(bytes(row[7]), associated_data=_binding(link_hash, "refresh_token"))
                   if row[7] is not None else None)
        tokens = StoredTokens(keyring.decrypt(bytes(row[6]), associated_data=_binding(link_hash, "access_token")),
                              refresh, row[8])
    return PendingLink(link_hash, row[1], row[2], row[3], row[4], tuple(row[5] or ()), tokens, row[9], bool(row[10]))


def save_pending_link(cursor: Any, keyring: Keyring, *, code: str, user_id: str, provider: str,
                      provider_user_id: str, account_label: str | None, scopes: tuple[str, ...], tokens: TokenSet,
                      default_expires_in: int, now: datetime, expires_at: datetime) -> None:
    """Store a pending link under the hash of its code, with the tokens encrypted and bound to the row."""
    link_hash = hash_link(code)
    cursor.execute(
        "INSERT INTO pending_links (link_hash, user_id, provider, provider_user_id, account_label, scopes,"
        " token_key_id, access_token_enc, refresh_token_enc, access_token_expires_at, created_at, expires_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (link_hash, user_id, provider, provider_user_id, account_label, list(scopes), keyring.active_key_id,
         keyring.encrypt(tokens.access_token, associated_data=_binding(link_hash, "access_token")),
         keyring.encrypt(tokens.refresh_token, associated_data=_binding(link_hash, "refresh_token"))
         if tokens.refresh_token else None,
         now + timedelta(seconds=tokens.expires_in or default_expires_in), now, expires_at))


def lock_link(cursor: Any, keyring: Keyring, code: str) -> PendingLink | None:
    """Lock the link's row and return it, or None for a code never issued (or already deleted)."""
    cursor.execute(f"SELECT {_COLUMNS} FROM pending_links WHERE link_hash = %s FOR UPDATE", (hash_link(code),))
    row = cursor.fetchone()
    return _link(keyring, row) if row else None


def mark_used(cursor: Any, link_hash: bytes, *, now: datetime) -> None:
    """Mark the link used and delete its tokens (the row stays until it expires, so a replay is told apart)."""
    cursor.execute(
        "UPDATE pending_links SET used_at = %s, access_token_enc = NULL, refresh_token_enc = NULL,"
        " token_key_id = NULL WHERE link_hash = %s", (now, link_hash))


def lock_expired(cursor: Any, keyring: Keyring, *, now: datetime, limit: int) -> list[PendingLink]:
    """Lock up to `limit` expired links (SKIP LOCKED) and return them, oldest first."""
    cursor.execute(f"SELECT {_COLUMNS} FROM pending_links WHERE expires_at <= %s ORDER BY expires_at"
                   " LIMIT %s FOR UPDATE SKIP LOCKED", (now, limit))
    return [_link(keyring, row) for row in cursor.fetchall()]


def delete_link(cursor: Any, link_hash: bytes) -> None:
    """Delete a link row."""
    cursor.execute("DELETE FROM pending_links WHERE link_hash = %s", (link_hash,))
