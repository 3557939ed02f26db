"""Google token and revocation endpoints: code exchange rules, refresh, revoke, error bodies."""

from __future__ import annotations

import jwt
import pytest
import requests
from requests_oauthlib import OAuth2Session

from devtools.sandbox.client import authorize, pkce_pair
from tests.sandbox.flows import (
    FITBIT,
    GOOGLE_FIT,
    HEALTH_SCOPES,
    google_code,
    google_exchange,
    google_start,
    google_tokens,
    query_of,
)


def refresh(base: str, refresh_token: str, client: dict[str, str] = FITBIT, **extra: str) -> requests.Response:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client["client_id"],
            "client_secret": client["client_secret"], **extra}
    return requests.post(f"{base}/google/token", data=form, timeout=10)


def test_code_exchange_returns_google_token_response(sandbox):
    code, verifier = google_code(sandbox.url)

    answer = google_exchange(sandbox.url, code, verifier)

    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    body = answer.json()
    assert set(body) == {"access_token", "expires_in", "refresh_token", "scope", "token_type"}
    assert body["expires_in"] == 3599
    assert body["token_type"] == "Bearer"
    assert body["scope"].split() == list(HEALTH_SCOPES)
    assert body["access_token"].startswith("ya29.")
    assert body["refresh_token"].startswith("1//")


def test_code_is_single_use(sandbox):
    code, verifier = google_code(sandbox.url)
    assert google_exchange(sandbox.url, code, verifier).status_code == 200

    again = google_exchange(sandbox.url, code, verifier)

    assert again.status_code == 400
    assert again.json() == {"error": "invalid_grant", "error_description": "Bad Request"}


def test_expired_code_is_refused(sandbox, state):
    state.set_knobs(code_ttl_seconds=0)
    code, verifier = google_code(sandbox.url)

    answer = google_exchange(sandbox.url, code, verifier)

    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_grant")


EXCHANGE_ERRORS = [
    ({"code_verifier": pkce_pair()[0]}, 400, "invalid_grant", "Invalid code verifier."),
    ({"code_verifier": None}, 400, "invalid_grant", "Missing code verifier."),
    ({"code_verifier": "short"}, 400, "invalid_grant", "Invalid code verifier."),
    ({"redirect_uri": "http://127.0.0.1:7071/api/oauth/other/callback"}, 400, "redirect_uri_mismatch", "Bad Request"),
    ({"redirect_uri": None}, 400, "redirect_uri_mismatch", "Bad Request"),
    ({"client_secret": "wrong"}, 401, "invalid_client", "Unauthorized"),
    ({"client_secret": None}, 401, "invalid_client", "Unauthorized"),
    ({"client_id": "someone-else"}, 401, "invalid_client", "The OAuth client was not found."),
    ({"client_id": None}, 400, "invalid_request", "Could not determine client ID from request."),
    ({"client_id": GOOGLE_FIT["client_id"], "client_secret": GOOGLE_FIT["client_secret"]}, 400,
     "invalid_grant", "Bad Request"),
    ({"code": None}, 400, "invalid_request", "Missing required parameter: code"),
    ({"grant_type": None}, 400, "invalid_request", "Missing required parameter: grant_type"),
    ({"grant_type": "password"}, 400, "unsupported_grant_type", "Invalid grant_type: password"),
]


@pytest.mark.parametrize("overrides, status, error, description", EXCHANGE_ERRORS, ids=[
    "pkce-mismatch", "pkce-missing", "pkce-malformed", "redirect-uri-differs", "redirect-uri-missing",
    "wrong-secret", "no-secret", "unknown-client", "no-client", "code-of-other-client", "no-code",
    "no-grant-type", "unsupported-grant-type"])
def test_exchange_error_bodies(sandbox, overrides, status, error, description):
    code, verifier = google_code(sandbox.url)

    answer = google_exchange(sandbox.url, code, verifier, **overrides)

    assert answer.status_code == status
    assert answer.json() == {"error": error, "error_description": description}


def test_failed_client_authentication_leaves_the_code_usable(sandbox):
    code, verifier = google_code(sandbox.url)
    assert google_exchange(sandbox.url, code, verifier, client_secret="wrong").status_code == 401

    assert google_exchange(sandbox.url, code, verifier).status_code == 200


def test_pkce_mismatch_spends_the_code(sandbox):
    code, verifier = google_code(sandbox.url)
    assert google_exchange(sandbox.url, code, pkce_pair()[0]).status_code == 400

    assert google_exchange(sandbox.url, code, verifier).json()["error"] == "invalid_grant"


def test_client_credentials_in_http_basic(sandbox):
    code, verifier = google_code(sandbox.url)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": FITBIT["redirect_uri"],
            "code_verifier": verifier}

    answer = requests.post(f"{sandbox.url}/google/token", data=form, timeout=10,
                           auth=(FITBIT["client_id"], FITBIT["client_secret"]))

    assert answer.status_code == 200


def test_no_refresh_token_without_offline_access(sandbox):
    body = google_tokens(sandbox.url, access_type=None)

    assert "refresh_token" not in body


def test_refresh_token_only_on_first_consent_without_prompt(sandbox):
    first = google_tokens(sandbox.url, prompt=None)
    second = google_tokens(sandbox.url, prompt=None)
    forced = google_tokens(sandbox.url, prompt="consent")

    assert "refresh_token" in first
    assert "refresh_token" not in second
    assert "refresh_token" in forced


def test_refresh_returns_a_new_access_token_and_keeps_the_refresh_token_valid(sandbox, state):
    tokens = google_tokens(sandbox.url)

    first = refresh(sandbox.url, tokens["refresh_token"])
    second = refresh(sandbox.url, tokens["refresh_token"])

    assert first.status_code == second.status_code == 200
    assert set(first.json()) == {"access_token", "expires_in", "scope", "token_type"}
    assert first.json()["access_token"] != tokens["access_token"]
    assert first.json()["scope"] == tokens["scope"]
    assert state.counters.get("google.token:refresh_token") == 2


REFRESH_ERRORS = [
    ({"refresh_token": "1//unknown"}, 400, "invalid_grant"),
    ({"refresh_token": ""}, 400, "invalid_request"),
    ({"client_id": GOOGLE_FIT["client_id"], "client_secret": GOOGLE_FIT["client_secret"]}, 400, "invalid_grant"),
    ({"client_secret": "wrong"}, 401, "invalid_client"),
]


@pytest.mark.parametrize("overrides, status, error", REFRESH_ERRORS, ids=[
    "unknown-token", "empty-token", "token-of-other-client", "wrong-secret"])
def test_refresh_errors(sandbox, overrides, status, error):
    tokens = google_tokens(sandbox.url)
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
            "client_id": FITBIT["client_id"], "client_secret": FITBIT["client_secret"], **overrides}

    answer = requests.post(f"{sandbox.url}/google/token", data=form, timeout=10)

    assert (answer.status_code, answer.json()["error"]) == (status, error)


def test_testing_mode_and_rotation_knobs(sandbox, state):
    state.set_knobs(google_testing_mode=True, google_rotate_refresh_token=True)
    tokens = google_tokens(sandbox.url)

    refreshed = refresh(sandbox.url, tokens["refresh_token"]).json()

    assert tokens["refresh_token_expires_in"] == 604799
    assert refreshed["refresh_token"] != tokens["refresh_token"]
    assert refresh(sandbox.url, tokens["refresh_token"]).status_code == 200
    assert refresh(sandbox.url, refreshed["refresh_token"]).status_code == 200


def test_id_token_when_openid_is_granted(sandbox):
    tokens = google_tokens(sandbox.url, scope=f"openid email {HEALTH_SCOPES[0]}")

    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})

    assert claims["aud"] == FITBIT["client_id"]
    assert claims["email"] == "alice@example.com"
    assert claims["sub"] == "104528831027446185501"


@pytest.mark.parametrize("where", ["body", "query"], ids=["form-body", "query-string"])
def test_revoke_kills_the_grant(sandbox, where):
    tokens = google_tokens(sandbox.url)
    kwargs = {"data": {"token": tokens["refresh_token"]}} if where == "body" else \
        {"params": {"token": tokens["refresh_token"]}}

    answer = requests.post(f"{sandbox.url}/google/revoke", timeout=10, **kwargs)

    assert (answer.status_code, answer.json()) == (200, {})
    assert refresh(sandbox.url, tokens["refresh_token"]).json() == {
        "error": "invalid_grant", "error_description": "Token has been expired or revoked."}
    identity = requests.get(f"{sandbox.url}/googlehealth/v4/users/me/identity", timeout=10,
                            headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert identity.status_code == 401


def test_revoking_the_access_token_also_revokes_the_refresh_token(sandbox):
    tokens = google_tokens(sandbox.url)

    requests.post(f"{sandbox.url}/google/revoke", data={"token": tokens["access_token"]}, timeout=10)

    assert refresh(sandbox.url, tokens["refresh_token"]).status_code == 400


@pytest.mark.parametrize("form, error", [({"token": "ya29.unknown"}, "invalid_token"), ({}, "invalid_request")],
                         ids=["unknown-token", "no-token"])
def test_revoke_errors(sandbox, form, error):
    answer = requests.post(f"{sandbox.url}/google/revoke", data=form, timeout=10)

    assert (answer.status_code, answer.json()["error"]) == (400, error)


def test_works_with_requests_oauthlib(sandbox, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the sandbox speaks plain HTTP on loopback
    session = OAuth2Session(FITBIT["client_id"], redirect_uri=FITBIT["redirect_uri"], scope=list(HEALTH_SCOPES),
                            pkce="S256")
    url, state_value = session.authorization_url(f"{sandbox.url}/google/o/oauth2/v2/auth",
                                                 access_type="offline", prompt="consent")
    location = authorize(url)
    assert query_of(location)["state"] == state_value

    token = session.fetch_token(f"{sandbox.url}/google/token", authorization_response=location,
                                client_secret=FITBIT["client_secret"])

    assert token["token_type"] == "Bearer"
    assert token["scope"] == list(HEALTH_SCOPES)
    assert "refresh_token" in token


def test_authorization_url_of_google_fit_client(sandbox):
    location = authorize(google_start(sandbox.url, GOOGLE_FIT, scopes=("https://www.googleapis.com/auth/"
                                                                       "fitness.activity.read",)).url)

    assert location.startswith(GOOGLE_FIT["redirect_uri"] + "?")
