"""The connect flow end to end: sandbox over real HTTP, real PostgreSQL and Azurite."""

import base64
import json
import os

import pytest
from azure.storage.queue import QueueClient

from shared.providers import PROVIDERS as REGISTRY
from tests.connect.conftest import call, connect, error_code, http_request, redirect_status

PROVIDERS = ["fitbit", "oura", "google_fit", "whoop", "withings"]


@pytest.fixture
def queues():
    """Empty download queues; returns a reader of a queue's decoded messages."""
    clients = {}
    for name in (provider.queue for provider in REGISTRY.values()):
        client = QueueClient.from_connection_string(os.environ["AzureWebJobsStorage"], name)
        try:
            client.create_queue()
        except Exception:  # noqa: BLE001 - already exists
            pass
        client.clear_messages()
        clients[name] = client

    def read(provider):
        messages = clients[REGISTRY[provider].queue].peek_messages(max_messages=32)
        return [json.loads(base64.b64decode(m.content)) for m in messages]

    return read


def _connections(token):
    answer = call("connections_list", http_request("GET", "connections", token=token))
    assert answer.status_code == 200
    return {c["provider"]: c for c in json.loads(answer.get_body())["connections"]}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_full_flow_stores_connection_and_queues_backfill(sandbox, token, database, queues, provider):
    alice = token("alice")
    result = redirect_status(connect(alice, provider))
    assert result == {"provider": provider, "status": "connected"}
    listed = _connections(alice)[provider]
    assert listed["status"] == "active"
    assert listed["scopes"]
    # Withings' token answer names no e-mail, so its accounts have no label.
    assert listed["account_label"] == (None if provider == "withings" else "alice@example.com")
    assert listed["end_of_service"] == ("2026-12-31" if provider == "google_fit" else None)
    with database.transaction() as cursor:
        cursor.execute("SELECT id, provider_user_id, access_token_enc IS NOT NULL, refresh_token_enc IS NOT NULL"
                       " FROM connections WHERE user_id = 'alice' AND provider = %s", (provider,))
        connection_id, provider_user_id, has_access, has_refresh = cursor.fetchone()
    assert provider_user_id and has_access and has_refresh
    jobs = queues(provider)
    assert jobs == [{"version": 1, "connection_id": str(connection_id), "provider": provider, "reason": "backfill",
                     "streams": [], "window_start": None, "window_end": None}]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_synthetic_sandbox_person_connects_every_provider(sandbox, token, database, queues, provider):
    from devtools.sandbox.users import find_user

    newcomer = token("newcomer7")
    result = redirect_status(connect(newcomer, provider, sandbox_user="newcomer7"))
    assert result == {"provider": provider, "status": "connected"}
    listed = _connections(newcomer)[provider]
    assert listed["status"] == "active"
    assert listed["account_label"] == (None if provider == "withings" else find_user("newcomer7").email)
    assert [job["reason"] for job in queues(provider)] == ["backfill"]
    # A second synthetic person is another account at the provider, not one already linked.
    assert redirect_status(connect(token("newcomer8"), provider, sandbox_user="newcomer8"))["status"] == "connected"


def test_granted_scopes_are_the_ones_the_user_left_ticked(sandbox, token, database):
    from shared.providers.fitbit.provider import SCOPES

    kept = [SCOPES[0], SCOPES[2]]
    assert redirect_status(connect(token("alice"), "fitbit", granted=kept))["status"] == "connected"
    assert _connections(token("alice"))["fitbit"]["scopes"] == kept


def test_reconnect_replaces_tokens_and_keeps_cursors(sandbox, token, database):
    alice = token("alice")
    redirect_status(connect(alice, "oura"))
    with database.transaction() as cursor:
        cursor.execute("SELECT id, access_token_enc FROM connections WHERE user_id = 'alice'")
        first_id, first_token = cursor.fetchone()
        cursor.execute("INSERT INTO sync_cursors (connection_id, stream, synced_until) VALUES (%s, 'heartrate', now())",
                       (first_id,))
    assert redirect_status(connect(alice, "oura"))["status"] == "connected"
    with database.transaction() as cursor:
        cursor.execute("SELECT id, access_token_enc FROM connections WHERE user_id = 'alice'")
        second_id, second_token = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM sync_cursors WHERE connection_id = %s", (second_id,))
        assert cursor.fetchone()[0] == 1
    assert second_id == first_id
    assert bytes(second_token) != bytes(first_token)


def test_account_linked_to_another_user_is_refused(sandbox, token, database):
    assert redirect_status(connect(token("alice"), "fitbit", sandbox_user="alice"))["status"] == "connected"
    refused = redirect_status(connect(token("bob"), "fitbit", sandbox_user="alice"))
    assert refused["status"] == "account_linked_elsewhere"
    assert "fitbit" not in _connections(token("bob"))
    assert _connections(token("alice"))["fitbit"]["status"] == "active"


def test_disconnect_revokes_at_provider_and_deletes_tokens(sandbox, token, database):
    alice = token("alice")
    redirect_status(connect(alice, "fitbit"))
    answer = call("connections_item", http_request("DELETE", "connections/fitbit", token=alice,
                                                   route_params={"provider": "fitbit"}))
    assert answer.status_code == 200
    assert json.loads(answer.get_body()) == {"provider": "fitbit", "status": "revoked", "revocation": "revoked"}
    assert sandbox.state.counters.get("google.revoke") == 1
    with database.transaction() as cursor:
        cursor.execute("SELECT status, access_token_enc, refresh_token_enc, revoked_at IS NOT NULL FROM connections")
        assert cursor.fetchone() == ("revoked", None, None, True)
    assert _connections(alice)["fitbit"]["status"] == "revoked"


@pytest.mark.parametrize("provider", ["fitbit", "oura", "whoop", "withings"])
def test_failed_revocation_is_reported_and_tokens_deleted_anyway(sandbox, token, database, provider):
    from devtools.sandbox.faults import Fault

    alice = token("alice")
    redirect_status(connect(alice, provider))
    endpoint = {"fitbit": "google.revoke", "oura": "oura.revoke", "whoop": "whoop.revoke",
                "withings": "withings.signature"}[provider]
    sandbox.state.faults.add(Fault(endpoint, status=500, count=5))
    answer = call("connections_item", http_request("DELETE", f"connections/{provider}", token=alice,
                                                   route_params={"provider": provider}))
    assert json.loads(answer.get_body())["revocation"] == "failed"
    listed = _connections(alice)[provider]
    assert listed["status"] == "revoked"
    assert "revocation" in listed["last_error"]
    with database.transaction() as cursor:
        cursor.execute("SELECT access_token_enc, refresh_token_enc FROM connections")
        assert cursor.fetchone() == (None, None)


def test_disconnect_unknown_connection_is_404(sandbox, token, database):
    answer = call("connections_item", http_request("DELETE", "connections/oura", token=token("alice"),
                                                   route_params={"provider": "oura"}))
    assert (answer.status_code, error_code(answer)) == (404, "not_connected")


def test_sync_now_queues_one_job_at_a_time(sandbox, token, database, queues):
    alice = token("alice")
    redirect_status(connect(alice, "oura"))
    with database.transaction() as cursor:
        cursor.execute("UPDATE connections SET sync_pending_until = NULL")  # the backfill has finished
    request = http_request("POST", "connections/oura/sync", token=alice, route_params={"provider": "oura"})
    first = call("connections_sync", request)
    assert first.status_code == 202
    second = call("connections_sync", request)
    assert (second.status_code, error_code(second)) == (429, "sync_too_soon")
    with database.transaction() as cursor:
        cursor.execute("UPDATE connections SET last_manual_sync_at = now() - interval '1 day'")
    third = call("connections_sync", request)
    assert (third.status_code, error_code(third)) == (409, "sync_already_pending")
    assert [job["reason"] for job in queues("oura")] == ["backfill", "manual"]


def test_sync_now_for_a_revoked_connection_is_refused(sandbox, token, database):
    alice = token("alice")
    redirect_status(connect(alice, "oura"))
    call("connections_item", http_request("DELETE", "connections/oura", token=alice, route_params={"provider": "oura"}))
    answer = call("connections_sync", http_request("POST", "connections/oura/sync", token=alice,
                                                   route_params={"provider": "oura"}))
    assert (answer.status_code, error_code(answer)) == (409, "connection_not_active")


def test_the_backfill_counts_as_the_pending_sync(sandbox, token, database, queues):
    alice = token("alice")
    redirect_status(connect(alice, "oura"))
    answer = call("connections_sync", http_request("POST", "connections/oura/sync", token=alice,
                                                   route_params={"provider": "oura"}))
    assert (answer.status_code, error_code(answer)) == (409, "sync_already_pending")
    assert [job["reason"] for job in queues("oura")] == ["backfill"]
