"""The local Personicle sign-in issuer: discovery, JWKS and token minting (with overrides for tests)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

from devtools.sandbox.jwt_tools import SigningKey, encode_jwt, generate_key
from devtools.sandbox.users import find_user

AUDIENCE = "personicle-connect"
TOKEN_LIFETIME = 3600


class OidcIssuer:
    """Sign Personicle user tokens as `<sandbox base>/oidc` with one RSA key."""

    def __init__(self, issuer: str, key: SigningKey, audience: str = AUDIENCE) -> None:
        self.issuer = issuer.rstrip("/")
        self.key = key
        self.audience = audience

    def discovery(self) -> dict[str, Any]:
        """Return the OpenID Provider metadata document."""
        return {
            "issuer": self.issuer,
            "jwks_uri": f"{self.issuer}/jwks",
            "token_endpoint": f"{self.issuer}/demo-token",
            # No interactive authorization endpoint: the demo page signs users in instead.
            "authorization_endpoint": f"{self.issuer.rsplit('/oidc', 1)[0]}/demo",
            "response_types_supported": ["token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["none"],
            "claims_supported": ["iss", "aud", "sub", "exp", "nbf", "iat", "email", "name"],
        }

    def rotate(self) -> SigningKey:
        """Replace the signing key with a new one; the old key leaves the JWKS at once. Return the new key."""
        self.key = generate_key()
        return self.key

    def jwks(self) -> dict[str, Any]:
        """Return the JSON Web Key Set holding the signing key."""
        return {"keys": [self.key.public_jwk()]}

    def mint(
        self,
        sub: str,
        *,
        claims: Mapping[str, Any] | None = None,
        drop: Iterable[str] = (),
        header: Mapping[str, Any] | None = None,
        algorithm: str = "RS256",
        key: SigningKey | None = None,
        hmac_secret: bytes | None = None,
        lifetime: int = TOKEN_LIFETIME,
        now: float | None = None,
    ) -> str:
        """Return a signed user token; every part can be overridden to build bad tokens for tests.

        Args:
            sub: subject (the sandbox user name for real sign-ins).
            claims: claims to add or replace (e.g. `{"aud": "other"}`, `{"exp": 0}`).
            drop: claim names to remove (e.g. `("exp",)`).
            header: header fields to add or replace; a value of None removes the field.
            algorithm: `RS256` (signed with `key`, default the issuer key), `HS256` (HMAC with
                `hmac_secret`, default the issuer's public PEM: the key-confusion attack) or
                `none` (no signature).
            key: another RSA key (a wrong-key token); its own kid goes in the header unless
                `header` sets one.
            lifetime: seconds until `exp`.
            now: issue time (epoch seconds), default now.

        Returns:
            The compact JWT.
        """
        issued = int(time.time() if now is None else now)
        payload: dict[str, Any] = {"iss": self.issuer, "aud": self.audience, "sub": sub,
                                   "iat": issued, "nbf": issued, "exp": issued + lifetime}
        user = find_user(sub)
        if user is not None:
            payload.update(email=user.email, name=user.display_name)
        payload.update(claims or {})
        for name in drop:
            payload.pop(name, None)
        signer = key or self.key
        head: dict[str, Any] = {"alg": algorithm, "typ": "JWT"}
        if algorithm != "none":
            head["kid"] = signer.kid
        for name, value in (header or {}).items():
            if value is None:
                head.pop(name, None)
            else:
                head[name] = value
        if algorithm == "RS256":
            return encode_jwt(head, payload, key=signer)
        if algorithm == "HS256":
            return encode_jwt(head, payload, hmac_secret=hmac_secret or self.key.public_pem())
        if algorithm == "none":
            return encode_jwt(head, payload)
        raise ValueError(f"unsupported algorithm {algorithm!r} (RS256, HS256 or none)")
