"""Hostile and broken input: each gets its expected answer and no token exchange."""

import json
import time
from datetime import date, datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from devtools.sandbox.faults import Fault
from devtools.sandbox.jwt_tools import generate_key
from shared.errors import RequestError
from tests.connect.conftest import (
    DEMO,
    call,
    callback_with,
    connect,
    error_code,
    follow_consent,
    http_request,
    redirect_status,
    start_connect,
)


def _state_rows(database):
    with database.transaction() as cursor:
        cursor.execute("SELECT count(*) FROM oauth_states")
        return cursor.fetchone()[0]


def _exchanges(sandbox):
    counters = sandbox.state.counters
    return counters.get("google.token") + counters.get("oura.token")


BAD_TOKENS = {
    "expired": lambda oidc: oidc.mint("alice", now=time.time() - 7200, lifetime=3600),
    "not-yet-valid": lambda oidc: oidc.mint("alice", claims={"nbf": int(time.time()) + 3600}),
    "wrong-audience": lambda oidc: oidc.mint("alice", claims={"aud": "someone-else"}),
    "wrong-issuer": lambda oidc: oidc.mint("alice", claims={"iss": "https://evil.example"}),
    "alg-none": lambda oidc: oidc.mint("alice", algorithm="none"),
    "hmac-with-public-key": lambda oidc: oidc.mint("alice", algorithm="HS256"),
    "wrong-key": lambda oidc: oidc.mint("alice", key=generate_key()),
    "wrong-key-same-kid": lambda oidc: oidc.mint("alice", key=generate_key(), header={"kid": oidc.key.kid}),
    "no-subject": lambda oidc: oidc.mint("alice", drop=("sub",)),
    "no-expiry": lambda oidc: oidc.mint("alice", drop=("exp",)),
    "garbage": lambda oidc: "not.a.jwt",
}


@pytest.mark.parametrize("kind", list(BAD_TOKENS), ids=list(BAD_TOKENS))
def test_bad_bearer_tokens_get_401_and_store_nothing(sandbox, database, kind):
    bad = BAD_TOKENS[kind](sandbox.state.oidc)
    answer = start_connect(bad, "fitbit")
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    body = json.loads(answer.get_body())
    assert set(body) == {"error"} and body["error"]["code"] in {"invalid_token", "token_expired"}
    assert _state_rows(database) == 0
    listed = call("connections_list", http_request("GET", "connections", token=bad))
    assert listed.status_code == 401


@pytest.mark.parametrize("header", [None, "Basic YWxpY2U6cHc=", "Bearer ", "bearer"],
                         ids=["missing", "basic", "empty-bearer", "scheme-only"])
def test_missing_bearer_gets_401(sandbox, database, header):
    headers = {"Authorization": header} if header else {}
    answer = call("connections_list", http_request("GET", "connections", headers=headers))
    assert (answer.status_code, error_code(answer)) == (401, "missing_token")
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="personicle-connect"'


@pytest.mark.parametrize("return_to", [
    "https://evil.example/", "//evil.example/demo", "/demo", f"{DEMO}/../admin",
    "http://127.0.0.1:17080@evil.example/demo", "http://127.0.0.1:17080%2F@evil.example/demo",
    "javascript:alert(1)",
], ids=["absolute", "protocol-relative", "relative", "dot-dot", "userinfo", "encoded-slash", "javascript"])
def test_return_to_elsewhere_is_refused(sandbox, token, database, return_to):
    answer = start_connect(token(), "oura", return_to=return_to)
    assert (answer.status_code, error_code(answer)) == (400, "return_to_not_allowed")
    assert _state_rows(database) == 0


def test_return_to_in_query_string_is_checked_too(sandbox, token, database):
    answer = call("oauth_start", http_request("POST", "oauth/oura/start", token=token(),
                                              params={"return_to": "https://evil.example/"},
                                              route_params={"provider": "oura"}))
    assert (answer.status_code, error_code(answer)) == (400, "return_to_not_allowed")


@pytest.mark.parametrize(("function", "method", "route", "params", "status", "code"), [
    ("oauth_start", "POST", "oauth/strava/start", {"provider": "strava"}, 404, "unknown_provider"),
    ("oauth_start", "GET", "oauth/fitbit/start", {"provider": "fitbit"}, 405, "method_not_allowed"),
    ("connections_list", "POST", "connections", {}, 405, "method_not_allowed"),
    ("connections_item", "GET", "connections/fitbit", {"provider": "fitbit"}, 405, "method_not_allowed"),
    ("connections_sync", "POST", "connections/strava/sync", {"provider": "strava"}, 404, "unknown_provider"),
    ("oauth_callback", "POST", "oauth/fitbit/callback", {"provider": "fitbit"}, 405, "method_not_allowed"),
], ids=["unknown-provider", "start-get", "list-post", "item-get", "sync-unknown", "callback-post"])
def test_routing_errors_are_json(sandbox, token, database, function, method, route, params, status, code):
    answer = call(function, http_request(method, route, token=token(), route_params=params))
    assert (answer.status_code, error_code(answer)) == (status, code)


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"return_to": 5}'], ids=["syntax", "array", "type"])
def test_malformed_body_is_400(sandbox, token, database, body):
    answer = call("oauth_start", http_request("POST", "oauth/oura/start", token=token(), body=body,
                                              route_params={"provider": "oura"}))
    assert (answer.status_code, error_code(answer)) == (400, "malformed_body")


def _consented(token, provider="fitbit", **consent):
    answer = start_connect(token, provider)
    return follow_consent(json.loads(answer.get_body())["authorization_url"], **consent)


def test_forged_state_is_refused_without_exchange(sandbox, token, database):
    provider, params = _consented(token())
    answer = callback_with(provider, {**params, "state": "forged-" + params["state"]})
    assert (answer.status_code, error_code(answer)) == (400, "invalid_state")
    assert _exchanges(sandbox) == 0


def test_missing_state_is_refused(sandbox, token, database):
    provider, params = _consented(token())
    answer = callback_with(provider, {"code": params["code"]})
    assert (answer.status_code, error_code(answer)) == (400, "missing_state")
    assert _exchanges(sandbox) == 0


def test_replayed_state_is_refused_without_second_exchange(sandbox, token, database):
    provider, params = _consented(token())
    assert redirect_status(callback_with(provider, params))["status"] == "pending"
    assert redirect_status(callback_with(provider, params))["status"] == "state_reused"
    assert sandbox.state.counters.get("google.token") == 1


def test_expired_state_is_refused_without_exchange(sandbox, token, database):
    provider, params = _consented(token())
    with database.transaction() as cursor:
        cursor.execute("UPDATE oauth_states SET expires_at = now() - interval '1 second'")
    assert redirect_status(callback_with(provider, params))["status"] == "state_expired"
    assert _exchanges(sandbox) == 0


def test_state_of_another_provider_is_refused_without_exchange(sandbox, token, database):
    _, params = _consented(token(), "fitbit")
    assert redirect_status(callback_with("oura", params))["status"] == "state_provider_mismatch"
    assert _exchanges(sandbox) == 0


def test_access_denied_is_reported_without_exchange(sandbox, token, database):
    provider, params = _consented(token(), approve=False)
    assert params["error"] == "access_denied"
    assert redirect_status(callback_with(provider, params))["status"] == "access_denied"
    assert _exchanges(sandbox) == 0


def test_other_provider_error_is_reported(sandbox, token, database):
    provider, params = _consented(token())
    answer = callback_with(provider, {"state": params["state"], "error": "server_error"})
    assert redirect_status(answer)["status"] == "provider_error"
    assert _exchanges(sandbox) == 0


@pytest.mark.parametrize(("fault", "status"), [
    (Fault("google.token", status=400, body={"error": "invalid_grant", "error_description": "Bad Request"}),
     "exchange_refused"),
    (Fault("google.token", status=401, body={"error": "invalid_client"}), "exchange_refused"),
    (Fault("google.token", status=503), "provider_unavailable"),
    (Fault("google.token", kind="non_json", status=200), "provider_unavailable"),
    (Fault("google.token", kind="non_json", status=502), "provider_unavailable"),
    (Fault("google.token", kind="slow", delay=3), "provider_unavailable"),
    (Fault("google.token", kind="drop"), "provider_unavailable"),
], ids=["invalid-grant", "invalid-client", "5xx", "200-non-json", "502-html", "timeout", "dropped"])
def test_token_endpoint_failures_store_nothing(sandbox, token, database, monkeypatch, fault, status):
    monkeypatch.setattr("shared.oauth.TOKEN_TIMEOUT_SECONDS", (2, 1))
    provider, params = _consented(token())
    sandbox.state.faults.add(fault)
    assert redirect_status(callback_with(provider, params))["status"] == status
    with database.transaction() as cursor:
        cursor.execute("SELECT count(*) FROM connections")
        assert cursor.fetchone()[0] == 0


@pytest.mark.parametrize(("provider", "endpoint", "status", "reported"), [
    ("fitbit", "googlehealth.identity", 500, "provider_unavailable"),
    ("oura", "oura.personal_info", 500, "provider_unavailable"),
    ("oura", "oura.personal_info", 429, "provider_unavailable"),
    ("oura", "oura.personal_info", 404, "identity_failed"),
])
def test_identity_failure_stores_nothing(sandbox, token, database, provider, endpoint, status, reported):
    sandbox.state.faults.add(Fault(endpoint, status=status, count=10))
    assert redirect_status(connect(token(), provider))["status"] == reported
    with database.transaction() as cursor:
        cursor.execute("SELECT count(*) FROM connections")
        assert cursor.fetchone()[0] == 0


def test_google_account_without_health_profile_is_reported(sandbox, token, database):
    assert redirect_status(connect(token(), "fitbit", sandbox_user="dave"))["status"] == "identity_failed"


def test_google_fit_refuses_new_connections_after_end_of_service(sandbox, token, database):
    from shared.config import get_settings
    from shared.connect_flow import start_connect as start_service
    from shared.crypto import get_keyring

    ended = get_settings().with_provider("google_fit", end_of_service=date(2026, 1, 1))
    with pytest.raises(RequestError) as refused:
        start_service(database, ended, get_keyring(), user_id="alice", provider_name="google_fit", return_to=None,
                      now=datetime(2026, 11, 28, tzinfo=timezone.utc))
    assert (refused.value.status, refused.value.code) == (410, "provider_end_of_service")


def test_authorization_url_carries_state_pkce_and_offline_access(sandbox, token, database):
    answer = start_connect(token(), "fitbit")
    query = parse_qs(urlsplit(json.loads(answer.get_body())["authorization_url"]).query)
    assert len(query["state"][0]) >= 43
    assert query["code_challenge_method"] == ["S256"]
    assert query["access_type"] == ["offline"] and query["prompt"] == ["consent"]
    assert query["redirect_uri"] == ["http://127.0.0.1:17071/api/oauth/fitbit/callback"]
    with database.transaction() as cursor:
        cursor.execute("SELECT state_hash, pkce_verifier_enc FROM oauth_states")
        state_hash, verifier_enc = cursor.fetchone()
    assert query["state"][0].encode() not in bytes(state_hash)
    assert verifier_enc is not None
