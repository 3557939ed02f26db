"""Switchable faults, call counters and the other `/_sandbox` controls, in-process and over HTTP."""

from __future__ import annotations

import pytest
import requests

from devtools.sandbox import Fault
from tests.sandbox.flows import FITBIT, google_tokens, oura_tokens


def google_refresh(base: str, refresh_token: str, timeout: float = 10) -> requests.Response:
    return requests.post(f"{base}/google/token", timeout=timeout, data={
        "grant_type": "refresh_token", "refresh_token": refresh_token,
        "client_id": FITBIT["client_id"], "client_secret": FITBIT["client_secret"]})


STATUS_FAULTS = [
    ("google.token", "/google/token", 503,
     {"error": "temporarily_unavailable", "error_description": "Sandbox fault"}),
    ("google.token", "/google/token", 400, {"error": "invalid_request", "error_description": "Sandbox fault"}),
    ("oura.token", "/oura/oauth/token", 500, {"status": 500, "title": "Internal Server Error",
                                              "detail": "Sandbox fault", "error": "server_error",
                                              "error_description": "Sandbox fault"}),
]


@pytest.mark.parametrize("endpoint, path, status, body", STATUS_FAULTS, ids=["google-503", "google-400", "oura-500"])
def test_status_fault_answers_provider_shaped_body_then_recovers(sandbox, state, endpoint, path, status, body):
    state.faults.add(Fault(endpoint, kind="status", status=status, count=2))

    answers = [requests.post(sandbox.url + path, data={"grant_type": "refresh_token"}, timeout=10)
               for _ in range(3)]

    assert [a.status_code for a in answers[:2]] == [status, status]
    assert answers[0].json() == answers[1].json() == body
    assert "Sandbox fault" not in answers[2].text
    assert state.faults.pending() == []
    assert state.counters.get(endpoint) == 3


def test_identity_fault_uses_the_google_api_envelope(sandbox, state):
    tokens = google_tokens(sandbox.url)
    state.faults.add(Fault("googlehealth.identity", status=500))

    answer = requests.get(f"{sandbox.url}/googlehealth/v4/users/me/identity", timeout=10,
                          headers={"Authorization": f"Bearer {tokens['access_token']}"})

    assert answer.status_code == 500
    assert answer.json()["error"]["status"] == "INTERNAL"


def test_oura_429_fault_carries_rate_limit_headers(sandbox, state):
    tokens = oura_tokens(sandbox.url)
    state.faults.add(Fault("oura.personal_info", status=429))

    answer = requests.get(f"{sandbox.url}/oura/v2/usercollection/personal_info", timeout=10,
                          headers={"Authorization": f"Bearer {tokens['access_token']}"})

    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "37"
    assert answer.headers["X-RateLimit-Limit"] == "5000"


def test_fault_with_explicit_body_and_headers(sandbox, state):
    tokens = google_tokens(sandbox.url)
    state.faults.add(Fault("google.token", status=400, headers={"X-Extra": "1"},
                           body={"error": "invalid_grant", "error_description": "Token has been expired or revoked."}))

    answer = google_refresh(sandbox.url, tokens["refresh_token"])

    assert (answer.status_code, answer.json()["error"], answer.headers["X-Extra"]) == (400, "invalid_grant", "1")
    assert google_refresh(sandbox.url, tokens["refresh_token"]).status_code == 200


def test_non_json_fault_answers_html(sandbox, state):
    tokens = google_tokens(sandbox.url)
    state.faults.add(Fault("google.token", kind="non_json"))

    answer = google_refresh(sandbox.url, tokens["refresh_token"])

    assert answer.status_code == 502
    assert answer.headers["Content-Type"].startswith("text/html")
    with pytest.raises(ValueError):
        answer.json()


def test_slow_fault_outlasts_the_client_timeout(sandbox, state):
    tokens = google_tokens(sandbox.url)
    state.faults.add(Fault("google.token", kind="slow", delay=5))

    with pytest.raises(requests.exceptions.ReadTimeout):
        google_refresh(sandbox.url, tokens["refresh_token"], timeout=0.3)

    assert google_refresh(sandbox.url, tokens["refresh_token"]).status_code == 200


def test_drop_fault_closes_the_connection(sandbox, state):
    state.faults.add(Fault("oura.token", kind="drop"))

    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(f"{sandbox.url}/oura/oauth/token", data={}, timeout=10)


def test_faults_over_http(sandbox, state):
    created = requests.post(f"{sandbox.url}/_sandbox/faults", timeout=10,
                            json={"endpoint": "oura.token", "kind": "status", "status": 503, "count": 2})
    listed = requests.get(f"{sandbox.url}/_sandbox/faults", timeout=10).json()["faults"]

    assert created.status_code == 201
    assert [(f["endpoint"], f["count"]) for f in listed] == [("oura.token", 2)]
    assert requests.post(f"{sandbox.url}/oura/oauth/token", data={}, timeout=10).status_code == 503
    requests.delete(f"{sandbox.url}/_sandbox/faults", timeout=10)
    assert state.faults.pending() == []


@pytest.mark.parametrize("body", [
    {"endpoint": "oura.token", "kind": "explode"},
    {"endpoint": "oura.token", "count": 0},
    {"endpoint": "oura.token", "status": 99},
    {"endpoint": "oura.token", "colour": "red"},
    {"kind": "status"},
], ids=["unknown-kind", "zero-count", "bad-status", "unknown-field", "no-endpoint"])
def test_bad_fault_specs_are_refused(sandbox, body):
    answer = requests.post(f"{sandbox.url}/_sandbox/faults", json=body, timeout=10)

    assert answer.status_code == 400


def test_counters_tell_exchanges_from_refreshes(sandbox, state):
    tokens = google_tokens(sandbox.url)
    google_refresh(sandbox.url, tokens["refresh_token"])

    counters = requests.get(f"{sandbox.url}/_sandbox/counters", timeout=10).json()["counters"]

    assert counters["google.token"] == 2
    assert counters["google.token:authorization_code"] == 1
    assert counters["google.token:refresh_token"] == 1
    assert not any(name.startswith("_sandbox") for name in counters)
    requests.delete(f"{sandbox.url}/_sandbox/counters", timeout=10)
    assert state.counters.get("google.token") == 0


def test_reset_forgets_grants_faults_counters_and_knobs(sandbox, state):
    tokens = google_tokens(sandbox.url)
    state.faults.add(Fault("google.token"))
    state.set_knobs(google_testing_mode=True)

    assert requests.post(f"{sandbox.url}/_sandbox/reset", timeout=10).status_code == 200

    assert state.faults.pending() == []
    assert state.counters.snapshot() == {}
    assert state.knobs.google_testing_mode is False
    assert google_refresh(sandbox.url, tokens["refresh_token"]).status_code == 400


def test_config_over_http(sandbox, state):
    changed = requests.post(f"{sandbox.url}/_sandbox/config", json={"oura_token_includes_scope": True}, timeout=10)
    refused = requests.post(f"{sandbox.url}/_sandbox/config", json={"nonsense": 1}, timeout=10)
    mistyped = requests.post(f"{sandbox.url}/_sandbox/config", json={"google_testing_mode": "yes"}, timeout=10)

    assert changed.json()["config"]["oura_token_includes_scope"] is True
    assert "scope" in oura_tokens(sandbox.url)
    assert refused.status_code == mistyped.status_code == 400


def test_expire_tokens_and_revoke_grants_over_http(sandbox):
    google = google_tokens(sandbox.url, "bob")
    oura_tokens(sandbox.url, "bob")

    expired = requests.post(f"{sandbox.url}/_sandbox/tokens/expire", json={"provider": "google"}, timeout=10)
    grants = requests.get(f"{sandbox.url}/_sandbox/grants", params={"user": "bob"}, timeout=10).json()["grants"]
    revoked = requests.post(f"{sandbox.url}/_sandbox/grants/revoke", json={"user": "bob", "provider": "oura"},
                            timeout=10)

    assert expired.json() == {"expired": 1}
    assert sorted((g["provider"], g["access_tokens"]) for g in grants) == [("google", 0), ("oura", 1)]
    assert google["access_token"] not in str(grants) and google["refresh_token"] not in str(grants)
    assert revoked.json() == {"revoked": 1}
    assert google_refresh(sandbox.url, google["refresh_token"]).status_code == 200


def test_users_and_redirect_uri_registration_over_http(sandbox, state):
    users = requests.get(f"{sandbox.url}/_sandbox/users", timeout=10).json()["users"]
    added = requests.post(f"{sandbox.url}/_sandbox/clients/redirect-uris", timeout=10, json={
        "client_id": "sandbox-oura-client", "redirect_uri": "http://127.0.0.1:17071/api/oauth/oura/callback"})
    unknown = requests.post(f"{sandbox.url}/_sandbox/clients/redirect-uris", timeout=10, json={
        "client_id": "nobody", "redirect_uri": "http://x/cb"})

    assert [u["name"] for u in users] == ["alice", "bob", "carol", "dave"]
    assert "http://127.0.0.1:17071/api/oauth/oura/callback" in added.json()["redirect_uris"]
    assert unknown.status_code == 400
