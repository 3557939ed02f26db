"""SQL of key rotation: find rows whose tokens are not under the active key, re-encrypt one."""

from __future__ import annotations

import uuid
from typing import Any

from shared.crypto import Keyring
from shared.store.connections import token_binding

_NEEDS_KEY = "access_token_enc IS NOT NULL AND token_key_id IS DISTINCT FROM %s"


def lock_rows_needing_key(cursor: Any, active_key_id: str, *, skip: list[uuid.UUID], limit: int) -> list[uuid.UUID]:
    """Lock up to `limit` rows with tokens under another key (SKIP LOCKED: rows in use are left)."""
    cursor.execute(
        f"SELECT id FROM connections WHERE {_NEEDS_KEY} AND NOT (id = ANY(%s::uuid[]))"
        " ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
        (active_key_id, [str(row_id) for row_id in skip], limit))
    return [uuid.UUID(str(row[0])) for row in cursor.fetchall()]


def count_rows_needing_key(cursor: Any, active_key_id: str) -> int:
    """Return how many rows still hold tokens under another key."""
    cursor.execute(f"SELECT count(*) FROM connections WHERE {_NEEDS_KEY}", (active_key_id,))
    return int(cursor.fetchone()[0])


def reencrypt_row(cursor: Any, keyring: Keyring, connection_id: uuid.UUID) -> None:
    """Re-encrypt a locked row's tokens under the active key.

    Raises:
        CryptoError: a token cannot be decrypted with the keyring (its key was removed).
    """
    cursor.execute("SELECT access_token_enc, refresh_token_enc FROM connections WHERE id = %s",
                   (str(connection_id),))
    row = cursor.fetchone()
    sealed = []
    for column, blob in zip(("access_token", "refresh_token"), row, strict=True):
        binding = token_binding(connection_id, column)
        sealed.append(None if blob is None else
                      keyring.encrypt(keyring.decrypt(bytes(blob), associated_data=binding), associated_data=binding))
    cursor.execute(
        "UPDATE connections SET access_token_enc = %s, refresh_token_enc = %s, token_key_id = %s WHERE id = %s",
        (sealed[0], sealed[1], keyring.active_key_id, str(connection_id)))
