"""The confirmation step: the callback stores a pending link, only the user who started the flow
turns it into a connection (consent phishing, RFC 9700 section 4.7)."""

import base64
import json
import os
from datetime import timedelta

import pytest
from azure.storage.queue import QueueClient

from shared.clock import utc_now
from shared.providers import PROVIDERS
from shared.store.pending_links import hash_link
from tests.connect.conftest import call, confirm, connect, consent, error_code, http_request, redirect_status

REVOKE_COUNTER = {"fitbit": "google.revoke", "oura": "oura.revoke", "google_fit": "google.revoke"}


@pytest.fixture
def queued():
    """Empty download queues; returns a reader of a provider's queued jobs."""
    clients = {}
    for provider in PROVIDERS.values():
        client = QueueClient.from_connection_string(os.environ["AzureWebJobsStorage"], provider.queue)
        try:
            client.create_queue()
        except Exception:  # noqa: BLE001 - already exists
            pass
        client.clear_messages()
        clients[provider.name] = client
    return lambda provider: [json.loads(base64.b64decode(m.content))
                             for m in clients[provider].peek_messages(max_messages=32)]


def _listed(token):
    answer = call("connections_list", http_request("GET", "connections", token=token))
    assert answer.status_code == 200
    return {c["provider"]: c for c in json.loads(answer.get_body())["connections"]}


def _count(database, table):
    with database.transaction() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


@pytest.mark.parametrize("provider", ["fitbit", "oura", "google_fit"])
def test_callback_stores_a_pending_link_and_downloads_nothing(sandbox, token, database, queued, provider):
    result = redirect_status(consent(token("alice"), provider))
    assert set(result) == {"provider", "status", "link"}
    assert (result["provider"], result["status"]) == (provider, "pending")
    assert len(base64.urlsafe_b64decode(result["link"] + "==")) * 8 >= 128
    assert _count(database, "connections") == 0
    assert _listed(token("alice")) == {}
    assert queued(provider) == []
    with database.transaction() as cursor:
        cursor.execute("SELECT link_hash, user_id, provider, provider_user_id, access_token_enc IS NOT NULL,"
                       " expires_at - created_at, used_at FROM pending_links")
        link_hash, user_id, stored_provider, account, has_tokens, lifetime, used_at = cursor.fetchone()
    assert bytes(link_hash) == hash_link(result["link"])
    assert (user_id, stored_provider, has_tokens, lifetime, used_at) == ("alice", provider, True,
                                                                          timedelta(minutes=10), None)
    assert account


@pytest.mark.parametrize("provider", ["fitbit", "oura", "google_fit"])
def test_confirm_by_the_starting_user_connects_and_queues_the_backfill(sandbox, token, database, queued, provider):
    alice = token("alice")
    link = redirect_status(consent(alice, provider))["link"]
    answer = confirm(alice, provider, link)
    assert answer.status_code == 200, answer.get_body()
    shown = json.loads(answer.get_body())
    assert shown == _listed(alice)[provider]
    assert (shown["status"], shown["account_label"]) == ("active", "alice@example.com")
    assert [job["reason"] for job in queued(provider)] == ["backfill"]
    with database.transaction() as cursor:
        cursor.execute("SELECT used_at IS NOT NULL, access_token_enc, refresh_token_enc FROM pending_links")
        assert cursor.fetchone() == (True, None, None)


def test_victim_confirming_an_attackers_link_cancels_it_and_revokes_the_grant(sandbox, token, database, queued):
    attacker, victim = token("bob"), token("alice")
    # The attacker starts the flow with their own bearer; the victim approves with their own account.
    link = redirect_status(consent(attacker, "oura", sandbox_user="alice"))["link"]
    # The victim's frontend receives the link and confirms it with the victim's bearer.
    refused = confirm(victim, "oura", link)
    assert (refused.status_code, error_code(refused)) == (403, "link_user_mismatch")
    assert sandbox.state.counters.get("oura.revoke") == 1
    # The link is gone: the attacker cannot use it either.
    late = confirm(attacker, "oura", link)
    assert (late.status_code, error_code(late)) == (400, "invalid_link")
    assert _count(database, "connections") == 0
    assert _listed(attacker) == {} and _listed(victim) == {}
    assert queued("oura") == []


def test_google_grant_of_a_mismatched_link_is_revoked_too(sandbox, token, database):
    link = redirect_status(consent(token("bob"), "fitbit", sandbox_user="alice"))["link"]
    refused = confirm(token("alice"), "fitbit", link)
    assert (refused.status_code, error_code(refused)) == (403, "link_user_mismatch")
    assert sandbox.state.counters.get("google.revoke") == 1


def test_a_link_confirms_once(sandbox, token, database, queued):
    alice = token("alice")
    link = redirect_status(consent(alice, "oura"))["link"]
    assert confirm(alice, "oura", link).status_code == 200
    again = confirm(alice, "oura", link)
    assert (again.status_code, error_code(again)) == (400, "invalid_link")
    assert [job["reason"] for job in queued("oura")] == ["backfill"]


@pytest.mark.parametrize("link", ["never-issued", "A" * 43], ids=["short", "well-formed"])
def test_unknown_link_is_invalid(sandbox, token, database, link):
    answer = confirm(token("alice"), "oura", link)
    assert (answer.status_code, error_code(answer)) == (400, "invalid_link")


def test_link_of_another_provider_is_invalid_and_stays_usable(sandbox, token, database):
    alice = token("alice")
    link = redirect_status(consent(alice, "oura"))["link"]
    wrong = confirm(alice, "fitbit", link)
    assert (wrong.status_code, error_code(wrong)) == (400, "invalid_link")
    assert confirm(alice, "oura", link).status_code == 200


def test_expired_link_is_refused(sandbox, token, database):
    alice = token("alice")
    link = redirect_status(consent(alice, "oura"))["link"]
    with database.transaction() as cursor:
        cursor.execute("UPDATE pending_links SET expires_at = now() - interval '1 second'")
    answer = confirm(alice, "oura", link)
    assert (answer.status_code, error_code(answer)) == (410, "link_expired")
    assert _count(database, "connections") == 0


def test_account_linked_elsewhere_meanwhile_is_refused_at_confirmation_and_not_revoked(sandbox, token, database):
    bob, alice = token("bob"), token("alice")
    bobs_link = redirect_status(consent(bob, "fitbit", sandbox_user="alice"))["link"]
    alices_link = redirect_status(consent(alice, "fitbit", sandbox_user="alice"))["link"]
    assert confirm(alice, "fitbit", alices_link).status_code == 200
    refused = confirm(bob, "fitbit", bobs_link)
    assert (refused.status_code, error_code(refused)) == (409, "account_linked_elsewhere")
    assert sandbox.state.counters.get("google.revoke") == 0  # it would also cut alice's grant
    assert "fitbit" not in _listed(bob)
    assert _listed(alice)["fitbit"]["status"] == "active"


@pytest.mark.parametrize("body", [b"", b"{not json", b'{"link": 5}', b'{"link": ""}', b"[]"],
                         ids=["empty", "syntax", "type", "blank", "array"])
def test_malformed_confirmation_is_400(sandbox, token, database, body):
    answer = call("oauth_confirm", http_request("POST", "oauth/oura/confirm", token=token(), body=body,
                                                route_params={"provider": "oura"}))
    assert (answer.status_code, error_code(answer)) == (400, "malformed_body")


def test_confirmation_needs_a_bearer(sandbox, token, database):
    link = redirect_status(consent(token("alice"), "oura"))["link"]
    answer = call("oauth_confirm", http_request("POST", "oauth/oura/confirm", body={"link": link},
                                                route_params={"provider": "oura"}))
    assert (answer.status_code, error_code(answer)) == (401, "missing_token")
    assert confirm(token("alice"), "oura", link).status_code == 200


@pytest.mark.parametrize(("method", "route", "provider", "status", "code"), [
    ("GET", "oauth/oura/confirm", "oura", 405, "method_not_allowed"),
    ("POST", "oauth/strava/confirm", "strava", 404, "unknown_provider"),
], ids=["get", "unknown-provider"])
def test_confirmation_routing_errors_are_json(sandbox, token, database, method, route, provider, status, code):
    answer = call("oauth_confirm", http_request(method, route, token=token(), body={"link": "x"},
                                                route_params={"provider": provider}))
    assert (answer.status_code, error_code(answer)) == (status, code)


def test_timer_revokes_and_deletes_expired_links_only(sandbox, token, database):
    from shared.timer_entry import expire_pending_links

    alice = token("alice")
    stale = redirect_status(consent(alice, "oura"))["link"]
    used = redirect_status(consent(token("bob"), "fitbit", sandbox_user="bob"))["link"]
    assert confirm(token("bob"), "fitbit", used).status_code == 200
    fresh = redirect_status(consent(alice, "google_fit"))["link"]
    with database.transaction() as cursor:
        cursor.execute("UPDATE pending_links SET expires_at = now() - interval '1 second' WHERE link_hash IN (%s, %s)",
                       (hash_link(stale), hash_link(used)))
    expire_pending_links(past_due=False)
    with database.transaction() as cursor:
        cursor.execute("SELECT link_hash FROM pending_links")
        assert [bytes(row[0]) for row in cursor.fetchall()] == [hash_link(fresh)]
    assert sandbox.state.counters.get("oura.revoke") == 1
    assert sandbox.state.counters.get("google.revoke") == 0  # the used link held no tokens any more
    assert confirm(alice, "google_fit", fresh).status_code == 200


def test_timer_deletes_the_tokens_even_when_revocation_fails(sandbox, token, database):
    from devtools.sandbox.faults import Fault
    from shared.config import get_settings
    from shared.crypto import get_keyring
    from shared.pending_link_expiry import expire_pending_links

    redirect_status(consent(token("alice"), "oura"))
    sandbox.state.faults.add(Fault("oura.revoke", status=500, count=5))
    later = utc_now() + timedelta(minutes=11)
    run = expire_pending_links(database, get_settings(), get_keyring(), clock=lambda: later, monotonic=lambda: 0.0)
    assert (run.deleted, run.revoked, run.revocation_failed) == (1, 0, 1)
    assert _count(database, "pending_links") == 0


def test_an_unconfirmed_reconnect_leaves_the_live_grant_alone(sandbox, token, database):
    from shared.timer_entry import expire_pending_links

    alice = token("alice")
    assert redirect_status(connect(alice, "fitbit"))["status"] == "connected"
    redirect_status(consent(alice, "fitbit"))  # a reconnect nobody confirms
    with database.transaction() as cursor:
        cursor.execute("UPDATE pending_links SET expires_at = now() - interval '1 second'")
    expire_pending_links(past_due=False)
    assert _count(database, "pending_links") == 0
    assert sandbox.state.counters.get("google.revoke") == 0  # Google would cut the connection's grant too
    assert _listed(alice)["fitbit"]["status"] == "active"
