"""Bearer tokens follow the issuer's key set: a key removed from the JWKS stops verifying tokens."""

from __future__ import annotations

import pytest
import requests

from shared.auth import TokenVerifier
from shared.config import get_settings
from shared.errors import AuthError


@pytest.fixture
def issuer_key(sandbox):
    """Put the issuer's original key back afterwards: the app's own verifier keeps trusting it."""
    original = sandbox.state.oidc.key
    yield original
    sandbox.state.oidc.key = original


def test_removed_signing_key_stops_verifying_once_the_set_is_fetched_again(sandbox, database, issuer_key):
    verifier = TokenVerifier(get_settings(), refresh_cooldown_seconds=0)
    signed_with_old_key = sandbox.state.oidc.mint("alice")
    assert verifier.verify(signed_with_old_key) == "alice"

    assert requests.post(f"{sandbox.url}/_sandbox/oidc/rotate", timeout=10).status_code == 200
    # A new key id makes the verifier fetch the set again; the old key is no longer in it.
    assert verifier.verify(sandbox.state.oidc.mint("bob")) == "bob"

    with pytest.raises(AuthError, match="unknown key") as refused:
        verifier.verify(signed_with_old_key)
    assert refused.value.code == "invalid_token"


def test_unknown_key_ids_fetch_the_set_at_most_once_per_cooldown(sandbox, database):
    verifier = TokenVerifier(get_settings())
    assert verifier.verify(sandbox.state.oidc.mint("alice")) == "alice"
    sandbox.state.counters.clear()
    for kid in ("made-up-1", "made-up-2", "made-up-3"):
        with pytest.raises(AuthError):
            verifier.verify(sandbox.state.oidc.mint("alice", header={"kid": kid}))
    assert sandbox.state.counters.get("oidc.jwks") == 0


def test_rotate_control_replaces_the_published_key(sandbox, issuer_key):
    before = {key["kid"] for key in requests.get(f"{sandbox.url}/oidc/jwks", timeout=10).json()["keys"]}
    new_kid = requests.post(f"{sandbox.url}/_sandbox/oidc/rotate", timeout=10).json()["kid"]
    after = {key["kid"] for key in requests.get(f"{sandbox.url}/oidc/jwks", timeout=10).json()["keys"]}
    assert after == {new_kid}
    assert not before & after
