"""`python -m shared.rotate_keys`: every row ends under the active key, rows in use are left for a later pass."""

from __future__ import annotations

import os

from shared.clock import utc_now
from shared.config import get_settings
from shared.crypto import Keyring
from shared.providers.base import TokenSet
from shared.rotate_keys import reencrypt_all
from shared.store import connections as connection_store


def _keyrings() -> tuple[Keyring, Keyring, Keyring]:
    """Return (old only, new active with the old kept, new only)."""
    old_keys = get_settings().token_encryption_keys
    old_id = next(iter(old_keys))
    new_key = os.urandom(32)
    return (Keyring(old_keys, old_id), Keyring({"k2": new_key, **old_keys}, "k2"), Keyring({"k2": new_key}, "k2"))


def _connect(database, keyring: Keyring, user: str, provider: str):
    with database.transaction() as cursor:
        return connection_store.save_connected(
            cursor, keyring, user_id=user, provider=provider, provider_user_id=f"{user}-{provider}",
            scopes=("a",), tokens=TokenSet(f"access-{user}-{provider}", f"refresh-{user}-{provider}", 3600, None),
            default_expires_in=3600, now=utc_now())


def _key_ids(database) -> list:
    with database.transaction() as cursor:
        cursor.execute("SELECT token_key_id FROM connections ORDER BY user_id, provider")
        return [row[0] for row in cursor.fetchall()]


def test_every_row_is_reencrypted_under_the_active_key(database):
    old, rotating, new_only = _keyrings()
    rows = [_connect(database, old, user, provider) for user in ("u1", "u2") for provider in ("fitbit", "oura")]
    run = reencrypt_all(database, rotating, batch_size=3)
    assert (run.reencrypted, run.unreadable, run.remaining) == (4, 0, 0)
    assert _key_ids(database) == ["k2"] * 4
    with database.transaction() as cursor:
        for row in rows:
            tokens = connection_store.load_tokens(cursor, new_only, row.id)
            assert (tokens.access_token, tokens.refresh_token) == (f"access-{row.user_id}-{row.provider}",
                                                                   f"refresh-{row.user_id}-{row.provider}")
    assert reencrypt_all(database, rotating).reencrypted == 0


def test_a_row_in_use_is_left_for_the_next_pass(database):
    old, rotating, _ = _keyrings()
    busy = _connect(database, old, "u1", "oura")
    _connect(database, old, "u2", "oura")
    with database.transaction() as holding:
        holding.execute("SELECT id FROM connections WHERE id = %s FOR UPDATE", (str(busy.id),))
        run = reencrypt_all(database, rotating)
    assert (run.reencrypted, run.remaining) == (1, 1)
    assert reencrypt_all(database, rotating).remaining == 0


def test_tokens_under_a_removed_key_are_counted_not_lost(database):
    old, _, new_only = _keyrings()
    _connect(database, old, "u1", "oura")
    run = reencrypt_all(database, new_only)
    assert (run.reencrypted, run.unreadable, run.remaining) == (0, 1, 1)
