"""timer_refresh_tokens: one bad row never undoes or blocks the others (real PostgreSQL and sandbox)."""

import os
import time

from shared.clock import utc_now
from shared.config import get_settings
from shared.crypto import Keyring, get_keyring
from shared.store import connections as connection_store
from shared.token_refresh import refresh_due_tokens
from tests.timers.conftest import PAIRS, refresh_calls


def _run(database):
    return refresh_due_tokens(database, get_settings(), get_keyring(), clock=utc_now, monotonic=time.monotonic)


def _expire(database, connection_id, minutes):
    with database.transaction() as cursor:
        cursor.execute("UPDATE connections SET access_token_expires_at = now() + %s * interval '1 minute'"
                       " WHERE id = %s", (minutes, str(connection_id)))


def _retire_key(database, connection_id):
    """Re-encrypt a row's tokens under a key the app no longer has (a retired key)."""
    retired = Keyring({"retired": os.urandom(32)}, "retired")
    with database.transaction() as cursor:
        for column in ("access_token", "refresh_token"):
            blob = retired.encrypt("unreadable", associated_data=connection_store.token_binding(connection_id, column))
            cursor.execute(f"UPDATE connections SET {column}_enc = %s WHERE id = %s", (blob, str(connection_id)))


def _row(database, connection_id):
    with database.transaction() as cursor:
        cursor.execute("SELECT status, last_error FROM connections WHERE id = %s", (str(connection_id),))
        return cursor.fetchone()


def _tokens(database, connection_id):
    with database.transaction() as cursor:
        return connection_store.load_tokens(cursor, get_keyring(), connection_id)


def test_a_row_under_a_retired_key_is_marked_error_and_blocks_nobody(sandbox, database, connections):
    broken = connections[("user-alice", "oura")]
    _retire_key(database, broken)
    with database.transaction() as cursor:
        cursor.execute("UPDATE connections SET access_token_expires_at = now() + interval '1 minute'")
    _expire(database, broken, -60)  # the oldest expiry: first in every run
    run = _run(database)
    assert (run.unreadable, run.refreshed, run.failed) == (1, len(PAIRS) - 1, 0)
    assert refresh_calls(sandbox) == len(PAIRS) - 1
    status, message = _row(database, broken)
    assert status == "error" and message == "the stored Oura access can no longer be read; connect again"
    assert _run(database).unreadable == 0  # not tried again


def test_a_spent_single_use_refresh_token_is_kept_when_a_later_row_fails(sandbox, database, connections):
    spent, broken = connections[("user-bob", "oura")], connections[("user-carol", "oura")]
    before = _tokens(database, spent)
    _expire(database, spent, 1)
    _retire_key(database, broken)
    _expire(database, broken, 2)  # after the good row
    run = _run(database)
    assert (run.refreshed, run.unreadable) == (1, 1)
    after = _tokens(database, spent)
    assert after.refresh_token != before.refresh_token  # the new single-use token was committed
    _expire(database, spent, 1)
    assert _run(database).refreshed == 1  # and the provider accepts it


def test_a_huge_expires_in_is_clamped_instead_of_undoing_the_refresh(sandbox, database, connections):
    from devtools.sandbox.faults import Fault

    oura = connections[("user-alice", "oura")]
    _expire(database, oura, 1)
    sandbox.state.faults.add(Fault("oura.token", status=200, body={
        "access_token": "new-access", "refresh_token": "new-refresh", "token_type": "bearer", "expires_in": 10**30}))
    run = _run(database)
    assert (run.refreshed, run.failed) == (1, 0)
    stored = _tokens(database, oura)
    assert stored.refresh_token == "new-refresh"
    assert 29 * 86400 < (stored.expires_at - utc_now()).total_seconds() <= 30 * 86400
