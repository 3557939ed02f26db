"""Personicle sign-in issuer: `/oidc/.well-known/openid-configuration`, `/oidc/jwks`, `/oidc/demo-token`.

Control: `POST /_sandbox/oidc/rotate` replaces the signing key (the JWKS then holds only the new one).
"""

from __future__ import annotations

from devtools.sandbox.oidc.issuer import TOKEN_LIFETIME
from devtools.sandbox.users import DEMO_USERS, USER_NAME, find_user
from devtools.sandbox.web import Request, Response, Router, json_response


def discovery(req: Request) -> Response:
    """Answer the OpenID Provider metadata."""
    return json_response(200, req.state.oidc.discovery(), {"Cache-Control": "max-age=60"})


def jwks(req: Request) -> Response:
    """Answer the JSON Web Key Set."""
    return json_response(200, req.state.oidc.jwks(), {"Cache-Control": "max-age=60"})


def demo_token(req: Request) -> Response:
    """Sign in a sandbox user: `{"user": "alice"}` -> `{"access_token": <RS256 JWT>, ...}`.

    Any name matching `users.USER_NAME` is a user (the demo users, or a synthetic person).
    """
    body = req.json()
    name = body.get("user") if isinstance(body, dict) else None
    user = find_user(name) if isinstance(name, str) else None
    if user is None:
        known = ", ".join(u.name for u in DEMO_USERS)
        return json_response(400, {"error": "invalid_request",
                                   "error_description": f"expected JSON {{\"user\": <a demo user ({known}) or a "
                                                        f"name matching {USER_NAME.pattern}>}}"})
    return json_response(200, {"access_token": req.state.oidc.mint(user.name), "token_type": "Bearer",
                               "expires_in": TOKEN_LIFETIME, "user": user.name})


def rotate(req: Request) -> Response:
    """Rotate the signing key, as an issuer retiring its key: `{"kid": <new key id>}`."""
    return json_response(200, {"kid": req.state.oidc.rotate().kid})


def register(router: Router) -> None:
    """Add the issuer's routes."""
    router.add("GET", "/oidc/.well-known/openid-configuration", discovery, name="oidc.discovery")
    router.add("GET", "/oidc/jwks", jwks, name="oidc.jwks")
    router.add("POST", "/oidc/demo-token", demo_token, name="oidc.demo_token")
    router.add("POST", "/_sandbox/oidc/rotate", rotate, name="_sandbox")
