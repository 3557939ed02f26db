"""Verify the Personicle user's bearer JWT and return the user id (`sub`).

Checks: an allowed asymmetric algorithm (never `none`, never HMAC), a signature by a key of the
issuer's JWKS, issuer, audience, expiry and not-before with a small leeway.

The key set is cached whole for `JWKS_LIFESPAN_SECONDS` and fetched again when a token names an
unknown key id (at most once per `JWKS_REFRESH_COOLDOWN_SECONDS`). Keys are looked up in the cached set on every call (no per-key cache), so a key the
issuer removed stops verifying tokens as soon as the set is fetched again.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from shared.errors import AuthError, RequestError

if TYPE_CHECKING:
    from shared.config import Settings

LEEWAY_SECONDS = 60
JWKS_LIFESPAN_SECONDS = 300
# Least time between two fetches caused by unknown key ids (tokens with made-up kids cannot hammer the issuer).
JWKS_REFRESH_COOLDOWN_SECONDS = 30.0
_ASYMMETRIC = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}


class TokenVerifier:
    """Verify tokens of one issuer and audience against its JWKS."""

    def __init__(self, settings: Settings, *, refresh_cooldown_seconds: float = JWKS_REFRESH_COOLDOWN_SECONDS) -> None:
        self._refresh_cooldown = refresh_cooldown_seconds
        self._issuer = settings.oidc_issuer
        self._audience = settings.oidc_audience
        self._jwks_url = settings.oidc_jwks_url
        self._algorithms = [alg for alg in settings.oidc_algorithms if alg in _ASYMMETRIC]
        self._jwks_client: Any = None
        self._lock = threading.Lock()

    def _jwks(self) -> Any:
        with self._lock:
            if self._jwks_client is None:
                from jwt import PyJWKClient

                # cache_keys=True would keep every key ever seen (an unbounded per-kid cache that a
                # fresh key set does not clear), so removed keys would stay trusted.
                self._jwks_client = PyJWKClient(self._jwks_url or self._discover_jwks_url(),
                                                cache_keys=False, cache_jwk_set=True,
                                                lifespan=JWKS_LIFESPAN_SECONDS,
                                                cooldown_duration=self._refresh_cooldown, timeout=5)
            return self._jwks_client

    def _discover_jwks_url(self) -> str:
        from shared.http.session import session

        try:
            response = session().get(f"{self._issuer}/.well-known/openid-configuration", timeout=5)
            response.raise_for_status()
            url = response.json()["jwks_uri"]
        except Exception:  # noqa: BLE001 - any failure means the issuer is unavailable
            raise RequestError(503, "identity_provider_unavailable",
                               "the sign-in service cannot be reached") from None
        if not isinstance(url, str):
            raise RequestError(503, "identity_provider_unavailable", "the sign-in service is misconfigured")
        return url

    def verify(self, token: str) -> str:
        """Return the `sub` of a valid token.

        Raises:
            AuthError: the token is malformed, unsigned, badly signed, expired, or not for us.
            RequestError: 503 when the issuer's keys cannot be fetched.
        """
        import jwt

        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthError("invalid_token", "the bearer token is malformed") from None
        if header.get("alg") not in self._algorithms:
            raise AuthError("invalid_token", "the bearer token uses an algorithm that is not accepted")
        try:
            key = self._jwks().get_signing_key_from_jwt(token).key
        except jwt.PyJWKClientConnectionError:
            raise RequestError(503, "identity_provider_unavailable",
                               "the sign-in service cannot be reached") from None
        except jwt.PyJWTError:
            raise AuthError("invalid_token", "the bearer token is signed by an unknown key") from None
        try:
            claims = jwt.decode(token, key, algorithms=self._algorithms, audience=self._audience,
                                issuer=self._issuer, leeway=LEEWAY_SECONDS,
                                options={"require": ["exp", "iss", "aud", "sub"]})
        except jwt.ExpiredSignatureError:
            raise AuthError("token_expired", "the bearer token has expired") from None
        except jwt.ImmatureSignatureError:
            raise AuthError("invalid_token", "the bearer token is not valid yet") from None
        except (jwt.InvalidAudienceError, jwt.InvalidIssuerError):
            raise AuthError("invalid_token", "the bearer token is not for this service") from None
        except jwt.PyJWTError:
            raise AuthError("invalid_token", "the bearer token is invalid") from None
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.strip():
            raise AuthError("invalid_token", "the bearer token has no subject")
        return subject


_verifier: TokenVerifier | None = None


def authenticate(headers: Any) -> str:
    """Return the signed-in Personicle user id from an `Authorization: Bearer` header.

    Raises:
        AuthError: missing or invalid token.
    """
    global _verifier
    value = headers.get("Authorization") or headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("missing_token", "sign in to Personicle first (Authorization: Bearer token)")
    if _verifier is None:
        from shared.config import get_settings

        _verifier = TokenVerifier(get_settings())
    return _verifier.verify(token.strip())
