"""OAuth states: stored hashed, consumed exactly once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.crypto import Keyring


@dataclass(frozen=True)
class OAuthState:
    """A consumed state row (the verifier decrypted)."""

    user_id: str
    provider: str
    return_to: str
    pkce_verifier: str | None
    expires_at: datetime
    already_used: bool


def hash_state(state: str) -> bytes:
    """Return the stored form of a state."""
    return hashlib.sha256(state.encode("utf-8")).digest()


def _verifier_binding(state_hash: bytes) -> str:
    return f"oauth_state:{state_hash.hex()}:pkce_verifier"


def save_state(cursor: Any, keyring: Keyring, *, state: str, user_id: str, provider: str,
               pkce_verifier: str | None, return_to: str, expires_at: datetime) -> None:
    """Store a new state with its encrypted PKCE verifier."""
    state_hash = hash_state(state)
    verifier_enc = (keyring.encrypt(pkce_verifier, associated_data=_verifier_binding(state_hash))
                    if pkce_verifier else None)
    cursor.execute(
        "INSERT INTO oauth_states (state_hash, user_id, provider, pkce_verifier_enc, return_to, expires_at)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (state_hash, user_id, provider, verifier_enc, return_to, expires_at))


def consume_state(cursor: Any, keyring: Keyring, state: str) -> OAuthState | None:
    """Mark a state used, atomically; return it (with `already_used` when it was used before).

    Returns None for a state that was never issued.
    """
    state_hash = hash_state(state)
    cursor.execute(
        "UPDATE oauth_states SET used_at = now() WHERE state_hash = %s AND used_at IS NULL"
        " RETURNING user_id, provider, return_to, pkce_verifier_enc, expires_at",
        (state_hash,))
    row = cursor.fetchone()
    already_used = False
    if row is None:
        cursor.execute(
            "SELECT user_id, provider, return_to, NULL, expires_at FROM oauth_states WHERE state_hash = %s",
            (state_hash,))
        row = cursor.fetchone()
        if row is None:
            return None
        already_used = True
    user_id, provider, return_to, verifier_enc, expires_at = row
    verifier = (keyring.decrypt(bytes(verifier_enc), associated_data=_verifier_binding(state_hash))
                if verifier_enc is not None else None)
    return OAuthState(user_id, provider, return_to, verifier, expires_at, already_used)


def purge_expired_states(cursor: Any, older_than: datetime) -> int:
    """Delete states that expired before `older_than`; return how many."""
    cursor.execute("DELETE FROM oauth_states WHERE expires_at < %s", (older_than,))
    return cursor.rowcount


def lock_and_count_outstanding(cursor: Any, user_id: str, now: datetime) -> int:
    """Return the user's unused, unexpired states, serialising the user's concurrent starts."""
    cursor.execute("SELECT pg_advisory_xact_lock(hashtext('oauth_states:' || %s))", (user_id,))
    cursor.execute("SELECT count(*) FROM oauth_states WHERE user_id = %s AND used_at IS NULL AND expires_at > %s",
                   (user_id, now))
    return int(cursor.fetchone()[0])
