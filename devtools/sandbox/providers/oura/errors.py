"""Oura API v2 behaviour shared by its route modules: bearer and scope checks, error bodies.

Error bodies default to FastAPI's `{"detail": ...}` (docs/providers/oura.md 3.3); a 429 carries
`Retry-After` and the `X-RateLimit-*` headers (section 6). Data endpoint modules call
`require_oura_token` first.
"""

from __future__ import annotations

import time

from devtools.sandbox.oauth.grants import TokenInfo
from devtools.sandbox.providers.oura.oauth import SERVER
from devtools.sandbox.web import Request, Response, json_response

RATE_LIMIT_WINDOW = 300


def oura_error(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    """Answer with Oura's `{"detail": ...}` error body."""
    return json_response(status, {"detail": detail}, headers)


def fault_body(status: int) -> Response:
    """Return the body a status fault of an Oura API route answers with (429 with its headers)."""
    if status == 429:
        return oura_error(429, "Rate limit exceeded", {
            "Retry-After": "37", "X-RateLimit-Limit": "5000", "X-RateLimit-Window": str(RATE_LIMIT_WINDOW),
            "X-RateLimit-Reset": str(int(time.time()) + 37), "X-RateLimit-Tier": "token"})
    return oura_error(status, "Sandbox fault")


def not_found(req: Request) -> Response:
    """Answer an unknown Oura route as FastAPI does."""
    return oura_error(404, "Not Found")


def require_oura_token(req: Request, scope: str | None = None) -> TokenInfo | Response:
    """Check an Oura API call: a live Oura token, holding `scope` when one is given.

    Returns:
        The token's info, or the error response to send (401 bad token, 403 scope not granted).
    """
    token = req.bearer()
    info = req.state.grants.lookup_access_token(token) if token else None
    if info is None or info.grant.provider != SERVER:
        return oura_error(401, "Not authenticated" if token is None else "Invalid or expired access token",
                          {"WWW-Authenticate": "Bearer"})
    if scope is not None and scope not in info.grant.scopes:
        return oura_error(403, f"The access token does not grant the '{scope}' scope.")
    return info
