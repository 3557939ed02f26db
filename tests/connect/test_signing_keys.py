"""Bearer tokens follow the issuer's key set: a key removed from the JWKS stops verifying tokens."""

from __future__ import annotations

import requests

from tests.connect.conftest import call, error_code, http_request


def _list(token: str):
    return call("connections_list", http_request("GET", "connections", token=token))


def test_removed_signing_key_stops_verifying_once_the_set_is_fetched_again(sandbox, database):
    signed_with_old_key = sandbox.state.oidc.mint("alice")
    assert _list(signed_with_old_key).status_code == 200

    rotated = requests.post(f"{sandbox.url}/_sandbox/oidc/rotate", timeout=10)
    assert rotated.status_code == 200
    signed_with_new_key = sandbox.state.oidc.mint("alice")
    # A new key id makes the app fetch the set again; the old key is no longer in it.
    assert _list(signed_with_new_key).status_code == 200

    refused = _list(signed_with_old_key)
    assert (refused.status_code, error_code(refused)) == (401, "invalid_token")
    assert "WWW-Authenticate" in refused.headers


def test_rotate_control_replaces_the_published_key(sandbox):
    before = {key["kid"] for key in requests.get(f"{sandbox.url}/oidc/jwks", timeout=10).json()["keys"]}
    new_kid = requests.post(f"{sandbox.url}/_sandbox/oidc/rotate", timeout=10).json()["kid"]
    after = {key["kid"] for key in requests.get(f"{sandbox.url}/oidc/jwks", timeout=10).json()["keys"]}
    assert after == {new_kid}
    assert not before & after
