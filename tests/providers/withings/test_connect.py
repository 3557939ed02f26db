"""Connecting Withings end to end: the account id from the token answer, the 30-second code, the
rotating refresh token under the row lock, and disconnect with a signed revocation."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from shared.clock import utc_now
from shared.config import get_settings
from shared.crypto import get_keyring
from shared.providers import PROVIDERS
from shared.store import connections as connection_store
from shared.sync.tokens import TokenKeeper
from tests.connect.conftest import call, callback_with, confirm, connect, follow_consent, http_request, redirect_status
from tests.connect.conftest import start_connect as start


def _row(database):
    with database.transaction() as cursor:
        cursor.execute("SELECT id, provider_user_id, scopes, status FROM connections WHERE provider = 'withings'")
        return cursor.fetchone()


def test_the_account_id_is_the_userid_of_the_token_answer(sandbox, token, database):
    answer = start(token("alice"), "withings")  # the same user confirms below
    url = json.loads(answer.get_body())["authorization_url"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert query["scope"] == "user.info,user.metrics,user.activity" and "code_challenge" not in query
    alice = token("alice")
    route, params = follow_consent(url, user="alice")
    pending = redirect_status(callback_with(route, params))
    assert pending["status"] == "pending"
    assert confirm(alice, "withings", pending["link"]).status_code == 200
    _, provider_user_id, scopes, status = _row(database)
    assert (provider_user_id, status) == ("38191920", "active")
    assert list(scopes) == ["user.info", "user.metrics", "user.activity"]
    assert sandbox.state.counters.get("withings.token:authorization_code") == 1


def test_a_code_older_than_thirty_seconds_is_refused(sandbox, token, database):
    answer = start(token("alice"), "withings")  # the same user confirms below
    route, params = follow_consent(json.loads(answer.get_body())["authorization_url"], user="alice")
    sandbox.state.grants.expire_code(params["code"])
    assert redirect_status(callback_with(route, params))["status"] == "exchange_refused"
    assert _row(database) is None


def test_a_refresh_rotates_the_refresh_token_once(sandbox, token, database):
    redirect_status(connect(token("alice"), "withings"))
    connection_id = _row(database)[0]
    keyring = get_keyring()
    with database.transaction() as cursor:
        before = connection_store.load_tokens(cursor, keyring, connection_id)
        cursor.execute("UPDATE connections SET access_token_expires_at = now() WHERE id = %s", (str(connection_id),))
    keepers = [TokenKeeper(database, keyring, get_settings(), PROVIDERS["withings"], connection_id, clock=utc_now)
               for _ in range(3)]
    fresh = {keeper.access_token() for keeper in keepers}
    with database.transaction() as cursor:
        after = connection_store.load_tokens(cursor, keyring, connection_id)
    assert len(fresh) == 1 and after.access_token in fresh
    assert after.refresh_token != before.refresh_token
    assert sandbox.state.counters.get("withings.token:refresh_token") == 1


def test_disconnect_revokes_with_a_signed_nonce(sandbox, token, database):
    alice = token("alice")
    redirect_status(connect(alice, "withings"))
    answer = call("connections_item", http_request("DELETE", "connections/withings", token=alice,
                                                   route_params={"provider": "withings"}))
    assert json.loads(answer.get_body())["revocation"] == "revoked"
    assert sandbox.state.counters.get("withings.token:revoke") == 1
    assert sandbox.state.grants.grants("withings", "alice") == []
    assert _row(database)[3] == "revoked"
