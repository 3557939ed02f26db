"""Google consent page: request validation, approve and deny redirects, granular consent."""

from __future__ import annotations

import pytest
import requests

from devtools.sandbox.client import ConsentError, authorize
from tests.sandbox.flows import AUTH, FITBIT, HEALTH_SCOPES, google_start, query_of


def test_consent_page_lists_client_scopes_users_and_buttons(sandbox):
    page = requests.get(google_start(sandbox.url).url, timeout=10)

    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    for marker in ('id="approve"', 'id="deny"', 'id="user"', 'value="alice"', 'value="bob"', 'value="carol"',
                   "sandbox-fitbit-client", *HEALTH_SCOPES):
        assert marker in page.text
    assert page.text.count('name="granted"') == len(HEALTH_SCOPES)
    assert page.text.count("checked") == len(HEALTH_SCOPES)


def test_approve_redirects_with_code_state_and_granted_scopes(sandbox):
    location = authorize(google_start(sandbox.url).url, user="bob")

    assert location.startswith(FITBIT["redirect_uri"] + "?")
    params = query_of(location)
    assert params["state"] == "state-123"
    assert params["code"].startswith("4/")
    assert params["scope"].split() == list(HEALTH_SCOPES)


def test_unticked_scope_is_left_out_of_the_grant(sandbox):
    location = authorize(google_start(sandbox.url).url, granted=[HEALTH_SCOPES[1]])

    assert query_of(location)["scope"] == HEALTH_SCOPES[1]


def test_deny_redirects_with_access_denied_and_state(sandbox):
    location = authorize(google_start(sandbox.url).url, approve=False)

    assert location.startswith(FITBIT["redirect_uri"] + "?")
    assert query_of(location) == {"error": "access_denied", "state": "state-123"}


def test_form_post_without_the_helper(sandbox):
    start = google_start(sandbox.url)
    fields = [*query_of(start.url).items(), ("user", "carol"), ("decision", "approve"),
              ("granted", HEALTH_SCOPES[0])]

    answer = requests.post(f"{sandbox.url}/google/o/oauth2/v2/auth", data=fields, allow_redirects=False,
                           timeout=10)

    assert answer.status_code == 302
    assert query_of(answer.headers["Location"])["scope"] == HEALTH_SCOPES[0]


def test_include_granted_scopes_adds_earlier_grants(sandbox):
    authorize(google_start(sandbox.url, scopes=(HEALTH_SCOPES[0],)).url)
    location = authorize(google_start(sandbox.url, scopes=(HEALTH_SCOPES[1],),
                                      include_granted_scopes="true").url)

    assert query_of(location)["scope"].split() == [HEALTH_SCOPES[0], HEALTH_SCOPES[1]]


BAD_REQUESTS = [
    ({"client_id": None}, 400, "invalid_request"),
    ({"client_id": "someone-else"}, 401, "invalid_client"),
    ({"client_id": "sandbox-oura-client"}, 401, "invalid_client"),
    ({"redirect_uri": "http://127.0.0.1:7071/api/oauth/oura/callback"}, 400, "redirect_uri_mismatch"),
    ({"redirect_uri": FITBIT["redirect_uri"] + "/"}, 400, "redirect_uri_mismatch"),
    ({"response_type": None}, 400, "invalid_request"),
    ({"response_type": "token"}, 400, "unsupported_response_type"),
    ({"scope": None}, 400, "invalid_request"),
    ({"scope": AUTH + "googlehealth.everything"}, 400, "invalid_scope"),
    ({"access_type": "forever"}, 400, "invalid_request"),
    ({"prompt": "none consent"}, 400, "invalid_request"),
    ({"code_challenge": None, "code_challenge_method": None}, 400, "invalid_request"),
    ({"code_challenge_method": "plain"}, 400, "invalid_request"),
    ({"code_challenge_method": "S512"}, 400, "invalid_request"),
    ({"code_challenge": "too-short"}, 400, "invalid_request"),
]


@pytest.mark.parametrize("overrides, status, error", BAD_REQUESTS, ids=[
    "no-client", "unknown-client", "other-provider-client", "unregistered-redirect", "redirect-not-exact",
    "no-response-type", "implicit-flow", "no-scope", "unknown-scope", "bad-access-type", "prompt-none-mixed",
    "no-pkce", "pkce-plain", "pkce-unknown-method", "pkce-malformed"])
def test_bad_authorization_request_shows_an_error_page(sandbox, overrides, status, error):
    with pytest.raises(ConsentError) as refused:
        authorize(google_start(sandbox.url, **overrides).url)

    assert (refused.value.status, refused.value.error) == (status, error)


def test_registered_redirect_uri_can_be_added_at_run_time(sandbox, state):
    other = "http://127.0.0.1:17071/api/oauth/fitbit/callback"
    state.clients.add_redirect_uri("sandbox-fitbit-client", other)

    location = authorize(google_start(sandbox.url, redirect_uri=other).url)

    assert location.startswith(other + "?")


def test_error_page_is_not_a_redirect(sandbox):
    answer = requests.get(google_start(sandbox.url, client_id="someone-else").url, allow_redirects=False,
                          timeout=10)

    assert answer.status_code == 401
    assert "Location" not in answer.headers
    assert answer.headers["Content-Type"].startswith("text/html")
