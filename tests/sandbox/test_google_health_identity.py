"""Google Health identity: ids per demo user and Google's error envelope for each refusal."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.flows import GOOGLE_FIT, google_tokens


def identity(base: str, token: str | None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(f"{base}/googlehealth/v4/users/me/identity", headers=headers, timeout=10)


@pytest.mark.parametrize("user, health_user_id", [("alice", "2515055256096816351"), ("bob", "2515055256096816352")],
                         ids=["alice", "bob"])
def test_identity_of_each_user(sandbox, user, health_user_id):
    tokens = google_tokens(sandbox.url, user)

    answer = identity(sandbox.url, tokens["access_token"])

    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"name", "healthUserId", "legacyUserId"}
    assert (body["name"], body["healthUserId"]) == ("users/me/identity", health_user_id)


def test_unknown_token_gets_401_envelope_and_challenge(sandbox):
    answer = identity(sandbox.url, "ya29.not-a-token")

    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith('Bearer realm="https://accounts.google.com/"')
    error = answer.json()["error"]
    assert (error["code"], error["status"]) == (401, "UNAUTHENTICATED")
    assert error["message"].startswith("Request had invalid authentication credentials.")


def test_missing_token_reports_credentials_missing(sandbox):
    answer = identity(sandbox.url, None)

    assert answer.status_code == 401
    assert answer.json()["error"]["details"][0]["reason"] == "CREDENTIALS_MISSING"


def test_expired_token_gets_401(sandbox, state):
    tokens = google_tokens(sandbox.url)
    assert state.grants.expire_access_tokens(provider="google", user="alice") == 1

    assert identity(sandbox.url, tokens["access_token"]).status_code == 401


def test_token_without_a_health_scope_gets_403(sandbox):
    tokens = google_tokens(sandbox.url, client=GOOGLE_FIT, scope="https://www.googleapis.com/auth/fitness.activity.read")

    answer = identity(sandbox.url, tokens["access_token"])

    assert answer.status_code == 403
    detail = answer.json()["error"]["details"][0]
    assert answer.json()["error"]["status"] == "PERMISSION_DENIED"
    assert detail["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    assert detail["@type"] == "type.googleapis.com/google.rpc.ErrorInfo"


def test_account_without_google_health_profile(sandbox):
    tokens = google_tokens(sandbox.url, "dave")

    answer = identity(sandbox.url, tokens["access_token"])

    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["status"] == "FAILED_PRECONDITION"
    assert error["details"][0]["reason"] == "ACCOUNT_NOT_LINKED"
    assert error["details"][0]["metadata"] == {"redirect_uri": "https://fitbit.google.com/auth/signup"}


def test_unknown_route_gets_googles_html_404(sandbox):
    answer = requests.get(f"{sandbox.url}/googlehealth/v4/users/me/nothing", timeout=10)

    assert answer.status_code == 404
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "That’s an error" in answer.text or "That's an error" in answer.text
