"""Oura OAuth (consent, code exchange, single-use refresh, revoke) and personal_info."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from devtools.sandbox.client import ConsentError, authorize
from devtools.sandbox.providers.oura.scopes import OURA_SCOPES
from tests.sandbox.flows import OURA, oura_start, oura_tokens, query_of


def token_call(base: str, **form: str) -> requests.Response:
    body = {"client_id": OURA["client_id"], "client_secret": OURA["client_secret"], **form}
    return requests.post(f"{base}/oura/oauth/token", data={k: v for k, v in body.items() if v is not None},
                         timeout=10)


def personal_info(base: str, token: str) -> requests.Response:
    return requests.get(f"{base}/oura/v2/usercollection/personal_info", timeout=10,
                        headers={"Authorization": f"Bearer {token}"})


def test_approve_redirects_with_code_scope_and_state(sandbox):
    location = authorize(oura_start(sandbox.url))

    params = query_of(location)
    assert location.startswith(OURA["redirect_uri"] + "?")
    assert params["state"] == "oura-state"
    assert params["scope"] == "daily heartrate personal email"
    assert params["code"]


def test_deny_redirects_with_access_denied(sandbox):
    assert query_of(authorize(oura_start(sandbox.url), approve=False)) == {
        "error": "access_denied", "state": "oura-state"}


def test_omitted_scope_asks_for_everything_and_unknown_names_are_dropped(sandbox):
    everything = query_of(authorize(oura_start(sandbox.url, scope=None)))["scope"].split()
    dropped = query_of(authorize(oura_start(sandbox.url, scope="daily spo2Daily spo2 bogus")))["scope"].split()

    assert everything == list(OURA_SCOPES)
    assert dropped == ["daily", "spo2"]


@pytest.mark.parametrize("overrides, error", [
    ({"client_id": "sandbox-fitbit-client"}, "invalid_client"),
    ({"redirect_uri": "http://127.0.0.1:7071/api/oauth/fitbit/callback"}, "invalid_request"),
    ({"response_type": "token"}, "unsupported_response_type"),
], ids=["google-client", "unregistered-redirect", "implicit-flow"])
def test_bad_authorization_requests(sandbox, overrides, error):
    with pytest.raises(ConsentError) as refused:
        authorize(oura_start(sandbox.url, **overrides))

    assert refused.value.error == error


def test_code_exchange_returns_oura_token_response(sandbox):
    body = oura_tokens(sandbox.url)

    assert set(body) == {"token_type", "access_token", "expires_in", "refresh_token"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 86400


def test_pkce_parameters_are_ignored(sandbox):
    url = oura_start(sandbox.url, code_challenge="x" * 43, code_challenge_method="S256")
    code = query_of(authorize(url))["code"]

    answer = token_call(sandbox.url, grant_type="authorization_code", code=code, redirect_uri=OURA["redirect_uri"])

    assert answer.status_code == 200


def test_code_is_single_use(sandbox):
    code = query_of(authorize(oura_start(sandbox.url)))["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": OURA["redirect_uri"]}
    assert token_call(sandbox.url, **form).status_code == 200

    again = token_call(sandbox.url, **form)

    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert {"status", "title", "detail", "error", "error_description"} <= set(again.json())


@pytest.mark.parametrize("overrides, status, error", [
    ({"client_secret": "wrong"}, 401, "invalid_client"),
    ({"client_id": "sandbox-fitbit-client", "client_secret": "sandbox-fitbit-secret"}, 401, "invalid_client"),
    ({"redirect_uri": "http://127.0.0.1:7071/api/oauth/other/callback"}, 400, "invalid_grant"),
    ({"grant_type": "client_credentials"}, 400, "unsupported_grant_type"),
    ({"code": None}, 400, "invalid_request"),
], ids=["wrong-secret", "google-client", "redirect-uri-differs", "unsupported-grant-type", "no-code"])
def test_exchange_errors(sandbox, overrides, status, error):
    code = query_of(authorize(oura_start(sandbox.url)))["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": OURA["redirect_uri"], **overrides}

    answer = token_call(sandbox.url, **form)

    assert (answer.status_code, answer.json()["error"]) == (status, error)


def test_refresh_token_is_single_use_and_rotates(sandbox, state):
    tokens = oura_tokens(sandbox.url)

    first = token_call(sandbox.url, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    reused = token_call(sandbox.url, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    rotated = token_call(sandbox.url, grant_type="refresh_token", refresh_token=first.json()["refresh_token"])

    assert first.status_code == 200
    assert first.json()["refresh_token"] != tokens["refresh_token"]
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"
    assert reused.json()["title"] == "Token already used or revoked"
    assert rotated.status_code == 200
    assert state.counters.get("oura.token:refresh_token") == 3
    assert state.counters.get("oura.token:authorization_code") == 1


def test_concurrent_refreshes_with_one_token_let_exactly_one_through(sandbox):
    tokens = oura_tokens(sandbox.url)
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(lambda _: token_call(sandbox.url, **form).status_code, range(4)))

    assert statuses == [200, 400, 400, 400]


def test_refresh_with_http_basic_client_credentials(sandbox):
    tokens = oura_tokens(sandbox.url)

    answer = requests.post(f"{sandbox.url}/oura/oauth/token", timeout=10,
                           data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
                           auth=(OURA["client_id"], OURA["client_secret"]))

    assert answer.status_code == 200


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_revoke_with_token_in_query(sandbox, method):
    tokens = oura_tokens(sandbox.url)

    answer = requests.request(method, f"{sandbox.url}/oura/oauth/revoke", timeout=10,
                              params={"access_token": tokens["access_token"]})

    assert answer.status_code == 200
    assert personal_info(sandbox.url, tokens["access_token"]).status_code == 401
    refreshed = token_call(sandbox.url, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refreshed.status_code == 400
    again = requests.request(method, f"{sandbox.url}/oura/oauth/revoke", timeout=10,
                             params={"access_token": tokens["access_token"]})
    assert again.status_code == 401


@pytest.mark.parametrize("scope, expected", [
    ("daily", {"id"}),
    ("daily personal", {"id", "age", "weight", "height", "biological_sex"}),
    ("personal email", {"id", "age", "weight", "height", "biological_sex", "email"}),
], ids=["no-personal", "personal", "personal-email"])
def test_personal_info_fields_follow_scopes(sandbox, scope, expected):
    tokens = oura_tokens(sandbox.url, "carol", scope=scope)

    answer = personal_info(sandbox.url, tokens["access_token"])

    assert answer.status_code == 200
    assert set(answer.json()) == expected
    assert answer.json()["id"] == "8b97e1b67-144-5e9a8c067-e62331-968-c"


def test_personal_info_refuses_bad_tokens(sandbox, state):
    tokens = oura_tokens(sandbox.url)
    state.grants.expire_access_tokens(provider="oura")

    expired = personal_info(sandbox.url, tokens["access_token"])
    missing = requests.get(f"{sandbox.url}/oura/v2/usercollection/personal_info", timeout=10)

    assert expired.status_code == missing.status_code == 401
    assert isinstance(expired.json()["detail"], str)


def test_unknown_oura_route_answers_fastapi_404(sandbox):
    answer = requests.get(f"{sandbox.url}/oura/v2/usercollection/nothing", timeout=10)

    assert (answer.status_code, answer.json()) == (404, {"detail": "Not Found"})
