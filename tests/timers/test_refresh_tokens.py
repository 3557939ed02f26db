"""timer_refresh_tokens against real PostgreSQL and the sandbox."""

import itertools
import threading
import time
from dataclasses import replace

from shared.clock import utc_now
from shared.config import get_settings
from shared.crypto import get_keyring
from shared.store import connections as connection_store
from shared.token_refresh import refresh_due_tokens
from tests.timers.conftest import PAIRS, refresh_calls


def _expire_soon(database, ids=None):
    with database.transaction() as cursor:
        cursor.execute("UPDATE connections SET access_token_expires_at = now() + interval '1 minute'"
                       + (" WHERE id = ANY(%s::uuid[])" if ids else ""), ([str(i) for i in ids],) if ids else None)


def _run(database, **kwargs):
    options = {"clock": utc_now, "monotonic": time.monotonic, **kwargs}
    settings = options.pop("settings", get_settings())
    return refresh_due_tokens(database, settings, get_keyring(), **options)


def _tokens(database, connection_id):
    with database.transaction() as cursor:
        return connection_store.load_tokens(cursor, get_keyring(), connection_id)


def test_expiring_tokens_are_refreshed_and_stored_encrypted(sandbox, database, connections):
    fitbit = connections[("user-alice", "fitbit")]
    oura = connections[("user-alice", "oura")]
    _expire_soon(database, [fitbit, oura])
    before = {cid: _tokens(database, cid) for cid in (fitbit, oura)}
    run = _run(database)
    assert (run.refreshed, run.failed, run.needs_reauth) == (2, 0, 0)
    assert refresh_calls(sandbox) == 2
    for cid in (fitbit, oura):
        after = _tokens(database, cid)
        assert after.access_token != before[cid].access_token
        assert after.expires_at > utc_now().replace(microsecond=0)
    assert _tokens(database, oura).refresh_token != before[oura].refresh_token  # Oura's are single-use
    assert _tokens(database, fitbit).refresh_token == before[fitbit].refresh_token  # Google keeps its own
    with database.transaction() as cursor:
        cursor.execute("SELECT access_token_enc FROM connections WHERE id = %s", (str(oura),))
        assert _tokens(database, oura).access_token.encode() not in bytes(cursor.fetchone()[0])
    assert _run(database).refreshed == 0  # nothing is due any more


def test_idle_refresh_tokens_are_used_before_they_age_out(sandbox, database, connections):
    google_fit = connections[("user-bob", "google_fit")]
    with database.transaction() as cursor:
        cursor.execute("UPDATE connections SET tokens_refreshed_at = now() - interval '200 days' WHERE id = %s",
                       (str(google_fit),))
    assert _run(database).refreshed == 1
    assert refresh_calls(sandbox) == 1


def test_revoked_grant_becomes_needs_reauth(sandbox, database, connections):
    sandbox.state.grants.revoke_grant(sandbox.state.grants.grants("oura", "carol")[0].grant_id)
    _expire_soon(database)
    run = _run(database)
    assert run.needs_reauth == 1
    assert run.refreshed == len(PAIRS) - 1
    with database.transaction() as cursor:
        cursor.execute("SELECT status, last_error FROM connections WHERE id = %s",
                       (str(connections[("user-carol", "oura")]),))
        status, message = cursor.fetchone()
    assert status == "needs_reauth" and "connect again" in message


def test_transient_failure_is_retried_later_with_backoff(sandbox, database, connections):
    from devtools.sandbox.faults import Fault

    oura = connections[("user-alice", "oura")]
    _expire_soon(database, [oura])
    sandbox.state.faults.add(Fault("oura.token", status=503, count=10))
    run = _run(database)
    assert (run.failed, run.refreshed) == (1, 0)
    with database.transaction() as cursor:
        cursor.execute("SELECT status, refresh_failures, next_refresh_attempt_at > now() FROM connections"
                       " WHERE id = %s", (str(oura),))
        assert cursor.fetchone() == ("active", 1, True)
    assert _run(database).failed == 0  # backing off: not tried again yet


def test_two_runs_together_refresh_each_token_once(sandbox, database, connections):
    _expire_soon(database)
    runs = []
    threads = [threading.Thread(target=lambda: runs.append(_run(database))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(run.refreshed for run in runs) == len(PAIRS)
    assert refresh_calls(sandbox) == len(PAIRS)


def test_a_run_with_more_work_than_its_budget_leaves_the_rest_to_the_next(sandbox, database, connections):
    _expire_soon(database)
    ticks = itertools.count()
    budget = replace(get_settings(), timer_time_budget_seconds=1)
    first = _run(database, settings=budget, monotonic=lambda: next(ticks) * 0.6)
    assert first.out_of_time and 0 < first.refreshed < len(PAIRS)
    second = _run(database)
    assert first.refreshed + second.refreshed == len(PAIRS)
    assert refresh_calls(sandbox) == len(PAIRS)
