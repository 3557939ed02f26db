"""WHOOP's OAuth as the sandbox imitates it and as the app's OAuth code meets it: state rules, the
`offline` scope, rotation of both tokens at once, single-use refresh, revocation."""

from __future__ import annotations

import pytest
import requests

from devtools.sandbox.client import ConsentError, authorize
from shared import oauth
from shared.errors import ReauthRequired
from shared.providers.base import OAuthClient, TokenSet
from shared.providers.whoop.provider import WHOOP
from tests.providers.whoop.sandbox_view import Whoop, whoop, whoop_server  # noqa: F401
from tests.sandbox.flows import WHOOP as CLIENT
from tests.sandbox.flows import query_of, whoop_start


pytestmark = pytest.mark.integration  # a sandbox of its own, over real HTTP


def _client(whoop: Whoop) -> OAuthClient:
    base = whoop.server.url
    return OAuthClient(CLIENT["client_id"], CLIENT["client_secret"], f"{base}/whoop/oauth/oauth2/auth",
                       f"{base}/whoop/oauth/oauth2/token", f"{base}/whoop/developer/v2/user/access")


def _token_call(whoop: Whoop, **form: str) -> requests.Response:
    return requests.post(f"{whoop.server.url}/whoop/oauth/oauth2/token", timeout=10,
                         data={"client_id": CLIENT["client_id"], "client_secret": CLIENT["client_secret"], **form})


def test_state_needs_eight_characters(whoop: Whoop) -> None:
    base = whoop.server.url
    with pytest.raises(ConsentError):
        authorize(whoop_start(base, state="short12"))
    assert query_of(authorize(whoop_start(base, state="12345678")))["state"] == "12345678"
    whoop.state.set_knobs(whoop_state_exactly_8=True)
    with pytest.raises(ConsentError):
        authorize(whoop_start(base, state="123456789"))


def test_a_refresh_token_comes_only_with_offline(whoop: Whoop) -> None:
    answer = whoop.tokens(scope="read:profile read:cycles")
    assert "refresh_token" not in answer and answer["token_type"] == "bearer" and answer["expires_in"] == 3600


def test_the_app_refresh_sends_offline_and_rotation_kills_both_old_tokens(whoop: Whoop) -> None:
    first = whoop.tokens()
    fresh = oauth.refresh(WHOOP, _client(whoop), first["refresh_token"])

    assert fresh.refresh_token and fresh.refresh_token != first["refresh_token"]
    assert whoop.get(first["access_token"], "v2/user/profile/basic").status_code == 401
    assert whoop.get(fresh.access_token, "v2/user/profile/basic").json()["user_id"] == 28417701
    with pytest.raises(ReauthRequired):  # the losing one of two refreshes
        oauth.refresh(WHOOP, _client(whoop), first["refresh_token"])


def test_a_refresh_asking_for_read_scopes_is_refused(whoop: Whoop) -> None:
    answer = _token_call(whoop, grant_type="refresh_token", refresh_token=whoop.tokens()["refresh_token"],
                         scope="offline read:cycles")
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"


def test_identity_is_the_profile_user_id_as_text(whoop: Whoop) -> None:
    tokens = whoop.tokens("carol")
    settings = type("S", (), {"endpoints": type("E", (), {"api_url": whoop.base})()})()
    account = WHOOP.identity(settings, TokenSet(tokens["access_token"], None, None, None), _client(whoop))
    assert account.user_id == "28417703" and account.label == "carol@example.com"


def test_revocation_refreshes_an_expired_token_first_and_ends_the_grant(whoop: Whoop) -> None:
    tokens = whoop.tokens("bob")
    whoop.state.grants.expire_access_tokens("whoop", "bob")
    assert WHOOP.revoke is not None
    WHOOP.revoke(_client(whoop), TokenSet(tokens["access_token"], tokens["refresh_token"], None, None))

    assert whoop.state.grants.grants("whoop", "bob") == []
    assert whoop.state.counters.get("whoop.revoke") == 2  # 401 with the expired token, then 204
