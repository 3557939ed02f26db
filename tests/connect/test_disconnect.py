"""Disconnect under the row lock: concurrent refreshes, expired Oura tokens, 401 on revoke, retired keys."""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import timedelta

from devtools.sandbox.faults import Fault
from shared.clock import utc_now
from shared.config import get_settings
from shared.crypto import Keyring, get_keyring
from shared.providers import PROVIDERS
from shared.sync.tokens import refresh_under_lock
from tests.connect.conftest import call, connect, http_request, redirect_status


def _disconnect(token: str, provider: str) -> tuple[int, dict]:
    answer = call("connections_item", http_request("DELETE", f"connections/{provider}", token=token,
                                                   route_params={"provider": provider}))
    return answer.status_code, json.loads(answer.get_body())


def _stored_tokens(database) -> tuple:
    with database.transaction() as cursor:
        cursor.execute("SELECT status, access_token_enc, refresh_token_enc, token_key_id FROM connections")
        return cursor.fetchone()


def test_disconnect_waits_for_a_concurrent_refresh_and_revokes_the_new_grant(sandbox, token, database):
    alice = token("alice")
    redirect_status(connect(alice, "oura"))
    result: dict = {}
    with database.transaction() as refreshing:
        refreshing.execute("SELECT id FROM connections FOR UPDATE")  # a refresh holds the row
        connection_id = refreshing.fetchone()[0]
        worker = threading.Thread(target=lambda: result.update(answer=_disconnect(alice, "oura")))
        worker.start()
        time.sleep(1.0)
        assert worker.is_alive(), "disconnect read the tokens while a refresh held the row"
        assert sandbox.state.counters.get("oura.revoke") == 0
        refresh_under_lock(refreshing, get_keyring(), get_settings(), PROVIDERS["oura"], connection_id,
                           now=utc_now(), force=True)
    worker.join(timeout=30)
    assert result["answer"] == (200, {"provider": "oura", "status": "revoked", "revocation": "revoked"})
    assert sandbox.state.counters.get("oura.token:refresh_token") == 1
    assert sandbox.state.grants.grants("oura", "alice") == []
    assert _stored_tokens(database) == ("revoked", None, None, None)


def test_disconnect_refreshes_an_expired_oura_token_before_revoking(sandbox, token, database):
    alice = token("alice")
    redirect_status(connect(alice, "oura"))
    sandbox.state.grants.expire_access_tokens("oura", "alice")
    with database.transaction() as cursor:
        cursor.execute("UPDATE connections SET access_token_expires_at = %s", (utc_now() - timedelta(minutes=5),))
    assert _disconnect(alice, "oura") == (200, {"provider": "oura", "status": "revoked", "revocation": "revoked"})
    assert sandbox.state.counters.get("oura.token:refresh_token") == 1
    assert sandbox.state.grants.grants("oura", "alice") == []


def test_oura_answering_401_to_the_revocation_is_a_failure(sandbox, token, database):
    alice = token("alice")
    redirect_status(connect(alice, "oura"))
    sandbox.state.faults.add(Fault("oura.revoke", status=401, count=5))
    status, body = _disconnect(alice, "oura")
    assert (status, body["revocation"]) == (200, "failed")
    assert _stored_tokens(database) == ("revoked", None, None, None)


def test_tokens_under_a_retired_key_are_deleted_and_reported_failed(sandbox, token, database, monkeypatch):
    alice = token("alice")
    redirect_status(connect(alice, "fitbit"))
    # The operator removed the key these tokens were encrypted under.
    monkeypatch.setattr("shared.crypto._keyring", Keyring({"other": os.urandom(32)}, "other"))
    status, body = _disconnect(alice, "fitbit")
    assert (status, body) == (200, {"provider": "fitbit", "status": "revoked", "revocation": "failed"})
    assert sandbox.state.counters.get("google.revoke") == 0
    assert _stored_tokens(database) == ("revoked", None, None, None)
