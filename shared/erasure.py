"""Erase a Personicle user: revoke every grant at its provider, then delete all of the user's rows."""

from __future__ import annotations

import logging
from datetime import datetime

from shared.config import Settings
from shared.crypto import Keyring
from shared.providers import PROVIDERS
from shared.revocation import revoke_locked
from shared.store import connections as connection_store
from shared.store import user_data

log = logging.getLogger(__name__)


def erase_user(database, settings: Settings, keyring: Keyring, *, user_id: str, now: datetime) -> dict:
    """Revoke and delete everything stored for the user, in one transaction that locks their connections.

    Returns:
        `{"deleted": {<table>: <rows>}, "revocations": [{"provider", "revocation"}]}`, where a
        revocation is `revoked`, `failed`, `not_supported` or `no_tokens`.
    """
    revocations = []
    with database.transaction() as cursor:
        for connection in connection_store.list_connections(cursor, user_id, for_update=True):
            provider = PROVIDERS.get(connection.provider)
            outcome = "no_tokens"
            if provider is not None and connection.has_tokens:
                outcome = revoke_locked(cursor, settings, keyring, provider, connection.id, now=now).outcome
            revocations.append({"provider": connection.provider, "revocation": outcome})
        deleted = user_data.delete_user_rows(cursor, user_id)
    log.info("user data erased: %s; revocations: %s", deleted,
             ", ".join(f"{r['provider']} {r['revocation']}" for r in revocations) or "none")
    return {"deleted": deleted, "revocations": revocations}
