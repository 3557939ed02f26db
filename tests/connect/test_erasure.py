"""DELETE /api/me: every grant revoked at its provider, every row of the user deleted, others untouched."""

from __future__ import annotations

import json

from devtools.sandbox.faults import Fault
from tests.connect.conftest import call, connect, error_code, http_request, redirect_status, start_connect


def _erase(token: str | None):
    return call("me_erase", http_request("DELETE", "me", token=token))


def _listed(token: str) -> list:
    answer = call("connections_list", http_request("GET", "connections", token=token))
    assert answer.status_code == 200
    return json.loads(answer.get_body())["connections"]


def test_erasure_revokes_every_grant_and_deletes_every_row_of_the_user(sandbox, token, database):
    alice, bob = token("alice"), token("bob")
    redirect_status(connect(alice, "fitbit"))
    redirect_status(connect(alice, "oura"))
    assert start_connect(alice, "google_fit").status_code == 200  # an outstanding state
    redirect_status(connect(bob, "oura", sandbox_user="bob"))
    with database.transaction() as cursor:
        cursor.execute("INSERT INTO sync_cursors (connection_id, stream)"
                       " SELECT id, 'daily_activity' FROM connections WHERE user_id IN ('alice', 'bob')")

    answer = _erase(alice)
    assert answer.status_code == 200
    body = json.loads(answer.get_body())
    assert {table: body["deleted"][table] for table in ("connections", "sync_cursors", "oauth_states")} == \
        {"connections": 2, "sync_cursors": 2, "oauth_states": 3}
    assert body["revocations"] == [{"provider": "fitbit", "revocation": "revoked"},
                                   {"provider": "oura", "revocation": "revoked"}]
    assert sandbox.state.grants.grants(user="alice") == []
    assert _listed(alice) == []
    with database.transaction() as cursor:
        cursor.execute("SELECT user_id FROM connections UNION ALL SELECT 'state:' || user_id FROM oauth_states"
                       " UNION ALL SELECT 'cursor' FROM sync_cursors")
        assert sorted(row[0] for row in cursor.fetchall()) == ["bob", "cursor", "state:bob"]
    assert len(sandbox.state.grants.grants("oura", "bob")) == 1


def test_rows_are_deleted_even_when_a_revocation_fails(sandbox, token, database):
    alice = token("alice")
    redirect_status(connect(alice, "oura"))
    call("connections_item", http_request("DELETE", "connections/oura", token=alice, route_params={"provider": "oura"}))
    redirect_status(connect(alice, "fitbit"))
    sandbox.state.faults.add(Fault("google.revoke", status=503, count=5))
    body = json.loads(_erase(alice).get_body())
    assert body["revocations"] == [{"provider": "fitbit", "revocation": "failed"},
                                   {"provider": "oura", "revocation": "no_tokens"}]
    assert body["deleted"]["connections"] == 2
    assert _listed(alice) == []


def test_erasing_a_user_with_nothing_stored_answers_zero_counts(sandbox, token, database):
    answer = _erase(token("carol"))
    body = json.loads(answer.get_body())
    assert answer.status_code == 200
    assert body["revocations"] == [] and set(body["deleted"].values()) == {0}


def test_erasure_needs_a_bearer_token_and_the_delete_method(sandbox, token, database):
    assert (_erase(None).status_code, error_code(_erase(None))) == (401, "missing_token")
    wrong = call("me_erase", http_request("GET", "me", token=token("alice")))
    assert (wrong.status_code, error_code(wrong)) == (405, "method_not_allowed")
