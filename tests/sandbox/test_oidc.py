"""Personicle sign-in issuer: discovery, JWKS, demo tokens verified with PyJWT, bad-token minting."""

from __future__ import annotations

import time

import jwt
import pytest
import requests

from devtools.sandbox import SandboxServer
from devtools.sandbox.jwt_tools import generate_key


def verify(sandbox: SandboxServer, token: str) -> dict:
    """Verify a token the way the app will: discovery -> JWKS -> RS256, issuer, audience, expiry."""
    discovery = requests.get(f"{sandbox.url}/oidc/.well-known/openid-configuration", timeout=10).json()
    signing_key = jwt.PyJWKClient(discovery["jwks_uri"]).get_signing_key_from_jwt(token)
    return jwt.decode(token, signing_key.key, algorithms=["RS256"], audience="personicle-connect",
                      issuer=discovery["issuer"], options={"require": ["exp", "nbf", "iat", "sub"]})


def demo_token(sandbox: SandboxServer, user: str) -> requests.Response:
    return requests.post(f"{sandbox.url}/oidc/demo-token", json={"user": user}, timeout=10)


def test_discovery_document(sandbox):
    answer = requests.get(f"{sandbox.url}/oidc/.well-known/openid-configuration", timeout=10)

    assert answer.status_code == 200
    body = answer.json()
    assert body["issuer"] == f"{sandbox.url}/oidc"
    assert body["jwks_uri"] == f"{sandbox.url}/oidc/jwks"
    assert body["id_token_signing_alg_values_supported"] == ["RS256"]


def test_jwks_holds_one_rsa_key_with_kid(sandbox):
    keys = requests.get(f"{sandbox.url}/oidc/jwks", timeout=10).json()["keys"]

    assert len(keys) == 1
    assert {"kty", "kid", "n", "e", "alg", "use"} <= set(keys[0])
    assert (keys[0]["kty"], keys[0]["alg"]) == ("RSA", "RS256")
    assert "d" not in keys[0]


def test_demo_token_verifies_with_pyjwt(sandbox):
    answer = demo_token(sandbox, "alice")

    assert answer.status_code == 200
    claims = verify(sandbox, answer.json()["access_token"])
    assert claims["sub"] == "alice"
    assert claims["iss"] == f"{sandbox.url}/oidc"
    assert claims["aud"] == "personicle-connect"
    assert claims["exp"] - claims["iat"] == 3600
    assert jwt.get_unverified_header(answer.json()["access_token"])["kid"] == sandbox.state.oidc.key.kid


@pytest.mark.parametrize("body", [{"user": "Mallory!"}, {"user": "../alice"}, {"user": 7}, {}, None],
                         ids=["invalid-name", "path", "not-a-string", "no-user", "no-body"])
def test_demo_token_refuses_invalid_user_names(sandbox, body):
    answer = requests.post(f"{sandbox.url}/oidc/demo-token", json=body, timeout=10)

    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_request")


def test_demo_token_signs_in_any_valid_name_as_its_synthetic_person(sandbox):
    answer = demo_token(sandbox, "user042")

    assert answer.status_code == 200
    claims = verify(sandbox, answer.json()["access_token"])
    assert (claims["sub"], claims["email"], claims["name"]) == ("user042", "user042@example.com", "User042 Synthetic")


def test_minted_token_with_defaults_verifies(sandbox, state):
    assert verify(sandbox, state.oidc.mint("bob"))["sub"] == "bob"


BAD_TOKENS = [
    ({"claims": {"aud": "someone-else"}}, jwt.InvalidAudienceError),
    ({"claims": {"iss": "https://evil.example/oidc"}}, jwt.InvalidIssuerError),
    ({"now": time.time() - 7200}, jwt.ExpiredSignatureError),
    ({"claims": {"nbf": int(time.time()) + 600}}, jwt.ImmatureSignatureError),
    ({"drop": ("exp",)}, jwt.MissingRequiredClaimError),
    ({"algorithm": "none"}, jwt.PyJWKClientError),
    ({"algorithm": "none", "header": {"kid": "use-issuer-kid"}}, jwt.InvalidAlgorithmError),
    ({"algorithm": "HS256"}, jwt.InvalidAlgorithmError),
    ({"key": "wrong"}, jwt.PyJWKClientError),
    ({"key": "wrong", "header": {"kid": "use-issuer-kid"}}, jwt.InvalidSignatureError),
]


@pytest.mark.parametrize("overrides, error", BAD_TOKENS, ids=[
    "wrong-audience", "wrong-issuer", "expired", "not-yet-valid", "no-exp", "alg-none-no-kid", "alg-none",
    "hs256-key-confusion", "unknown-kid", "wrong-key"])
def test_minted_bad_tokens_are_refused_by_pyjwt(sandbox, state, overrides, error):
    overrides = dict(overrides)
    if overrides.get("key") == "wrong":
        overrides["key"] = generate_key()
    if overrides.get("header") == {"kid": "use-issuer-kid"}:
        overrides["header"] = {"kid": state.oidc.key.kid}

    token = state.oidc.mint("alice", **overrides)

    with pytest.raises(error):
        verify(sandbox, token)


def test_persistent_key_survives_restart(tmp_path):
    key_file = tmp_path / "sandbox" / "oidc-signing-key.pem"
    first = SandboxServer(key_path=key_file)
    first.start()
    token = demo_token(first, "carol").json()["access_token"]
    first.stop()

    second = SandboxServer(key_path=key_file)
    second.start()
    try:
        keys = jwt.PyJWKClient(f"{second.url}/oidc/jwks").get_signing_key_from_jwt(token)
        claims = jwt.decode(token, keys.key, algorithms=["RS256"], audience="personicle-connect",
                            options={"verify_iss": False})
    finally:
        second.stop()

    assert claims["sub"] == "carol"
    assert key_file.stat().st_mode & 0o777 == 0o600
