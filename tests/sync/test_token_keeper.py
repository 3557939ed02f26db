"""Refresh under the row lock: concurrent workers, single-use refresh tokens, invalid_grant."""

import threading

import pytest

from shared.clock import utc_now
from shared.config import get_settings
from shared.crypto import get_keyring
from shared.errors import ReauthRequired
from shared.providers import PROVIDERS
from shared.sync.tokens import TokenKeeper
from tests.sync.support import connect_account


def _expire(database, connection_id):
    with database.transaction() as cursor:
        cursor.execute("UPDATE connections SET access_token_expires_at = now() WHERE id = %s", (str(connection_id),))


def _keeper(database, provider, connection_id):
    return TokenKeeper(database, get_keyring(), get_settings(), PROVIDERS[provider], connection_id, utc_now)


@pytest.mark.parametrize("provider", ["oura", "whoop"])
@pytest.mark.parametrize("workers", [2, 6])
def test_concurrent_refresh_of_a_single_use_token_makes_one_provider_call(sandbox, database, workers, provider):
    connection_id = connect_account(sandbox, provider)
    _expire(database, connection_id)
    barrier = threading.Barrier(workers)
    tokens, errors = [], []

    def work():
        keeper = _keeper(database, provider, connection_id)
        barrier.wait()
        try:
            tokens.append(keeper.access_token())
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sandbox.state.counters.get(f"{provider}.token:refresh_token") == 1
    assert len(set(tokens)) == 1


def test_a_rejected_token_is_refreshed_once(sandbox, database):
    connection_id = connect_account(sandbox, "fitbit")
    keeper = _keeper(database, "fitbit", connection_id)
    first = keeper.access_token()
    second = keeper.access_token(rejected=first)
    assert second != first
    assert keeper.access_token() == second
    assert sandbox.state.counters.get("google.token:refresh_token") == 1


def test_invalid_grant_marks_needs_reauth(sandbox, database):
    connection_id = connect_account(sandbox, "oura")
    sandbox.state.grants.revoke_grant(sandbox.state.grants.grants("oura", "bob")[0].grant_id)
    _expire(database, connection_id)
    with pytest.raises(ReauthRequired):
        _keeper(database, "oura", connection_id).access_token()
    with database.transaction() as cursor:
        cursor.execute("SELECT status, last_error FROM connections WHERE id = %s", (str(connection_id),))
        status, message = cursor.fetchone()
    assert status == "needs_reauth" and "connect again" in message
