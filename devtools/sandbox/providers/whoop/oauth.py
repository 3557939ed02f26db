"""WHOOP's OAuth endpoints: `/whoop/oauth/oauth2/auth` and `/whoop/oauth/oauth2/token` (Hydra-style).

Reference: docs/providers/whoop.md 2.1-2.2, 10 (points 2-4). No PKCE; the client authenticates in the
form body. `state` is required with at least 8 characters (a knob demands exactly 8). A refresh
token is issued only when `offline` was granted. A refresh rotates both tokens at once: the old
access token and the old refresh token stop working immediately, so of two concurrent refreshes
the second gets `invalid_grant`. A refresh whose `scope` names read scopes is refused with
`invalid_request` (one integrator saw that; a knob turns it off).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from devtools.sandbox.oauth import authorization
from devtools.sandbox.oauth.consent import error_page
from devtools.sandbox.oauth.forms import authenticated_client, first, ordered_unique
from devtools.sandbox.oauth.servers import AuthorizationServer
from devtools.sandbox.providers.whoop.scopes import READ_SCOPES, WHOOP_SCOPES
from devtools.sandbox.state import SandboxState
from devtools.sandbox.web import Request, Response, Router, json_response

AUTHORIZE_PATH = "/whoop/oauth/oauth2/auth"
TOKEN_PATH = "/whoop/oauth/oauth2/token"
SERVER = "whoop"
MIN_STATE = 8


@dataclass(frozen=True)
class WhoopOAuthKnobs:
    """Behaviour switches of WHOOP's OAuth server."""

    whoop_access_token_seconds: int = 3600
    whoop_state_exactly_8: bool = False
    whoop_refresh_refuses_read_scopes: bool = True


def whoop_token() -> str:
    """Return an opaque token shaped like Hydra's (`ory_at_...` style, URL-safe)."""
    return secrets.token_urlsafe(32)


def oauth_error(status: int, error: str, description: str) -> Response:
    """Answer with Hydra's RFC 6749 error body."""
    return json_response(status, {"error": error, "error_description": description})


def fault_body(status: int) -> Response:
    """Return the body a status fault of the token endpoint answers with."""
    return oauth_error(status, {400: "invalid_request", 401: "invalid_client"}.get(status, "server_error"),
                       "Sandbox fault")



def _validate(state: SandboxState, params: dict[str, list[str]]) -> authorization.PlainRequest | Response:
    client = state.clients.get(SERVER, first(params, "client_id"))
    if client is None:
        return error_page(400, "invalid_client", "Client authentication failed (unknown client).")
    redirect_uri = first(params, "redirect_uri")
    if redirect_uri not in client.redirect_uris:
        return error_page(400, "invalid_request", "The 'redirect_uri' parameter does not match any of the "
                          "OAuth 2.0 Client's pre-registered redirect urls.", {"redirect_uri": redirect_uri or ""})
    if first(params, "response_type") != "code":
        return error_page(400, "unsupported_response_type", "The authorization server does not support this "
                          "response type (the sandbox imitates the code flow).")
    requested = ordered_unique((first(params, "scope") or "").split())
    unknown = [scope for scope in requested if scope not in WHOOP_SCOPES]
    if unknown or not requested:
        return error_page(400, "invalid_scope", f"The requested scope is invalid or unknown: {' '.join(unknown)}")
    value = first(params, "state") or ""
    exact = state.knobs.whoop_state_exactly_8
    if len(value) < MIN_STATE or (exact and len(value) != MIN_STATE):
        return error_page(400, "invalid_state", "The state is missing or does not have enough characters "
                          "and is therefore considered too weak.")
    return authorization.PlainRequest(client, redirect_uri, requested, value)


def show_consent(req: Request) -> Response:
    """Validate the request and render the consent page."""
    return authorization.show_consent(req, _validate, server_label="WHOOP", action=AUTHORIZE_PATH,
                                      labels=WHOOP_SCOPES)


CODE_GRANT = authorization.CodeGrant(
    server=SERVER, new_code=whoop_token, ttl_seconds=lambda knobs: knobs.code_ttl_seconds,
    refresh_token=lambda granted: "offline" in granted)


def decide(req: Request) -> Response:
    """Handle the consent form: redirect back with a code and the granted scopes, or with access_denied."""
    return authorization.decide(req, _validate, CODE_GRANT)


def token(req: Request) -> Response:
    """Exchange an authorization code, or rotate a refresh token (old pair dead at once)."""
    form = req.form()
    grant_type = first(form, "grant_type")
    req.count(grant_type or "none")
    client = authenticated_client(req, form, SERVER)
    if client is None:
        return oauth_error(401, "invalid_client", "Client authentication failed.")
    store = req.state.grants
    if grant_type == "authorization_code":
        details = store.consume_code(first(form, "code") or "")
        if details is None or details.provider != SERVER or details.client_id != client.client_id \
                or details.expires_at <= store.now() or first(form, "redirect_uri") != details.redirect_uri:
            return oauth_error(400, "invalid_grant", _INVALID_GRANT)
        grant = store.create_grant(SERVER, client.client_id, details.user, details.scopes)
    elif grant_type == "refresh_token":
        asked = set((first(form, "scope") or "").split())
        if asked & READ_SCOPES and req.state.knobs.whoop_refresh_refuses_read_scopes:
            return oauth_error(400, "invalid_request", "The request is missing a required parameter, includes "
                               "an invalid parameter value, includes a parameter more than once, or is otherwise "
                               "malformed.")
        old = store.redeem_refresh_token(first(form, "refresh_token") or "", client.client_id, single_use=True)
        if old is None:
            return oauth_error(400, "invalid_grant", _INVALID_GRANT)
        store.revoke_grant(old.grant_id)  # the old access token dies with the old refresh token
        grant = store.create_grant(SERVER, client.client_id, old.user, old.scopes)
    else:
        return oauth_error(400, "unsupported_grant_type", "The authorization grant type is not supported.")
    seconds = req.state.knobs.whoop_access_token_seconds
    body: dict[str, Any] = {"access_token": store.issue_access_token(grant, whoop_token(), seconds),
                            "expires_in": seconds, "scope": " ".join(grant.scopes), "token_type": "bearer"}
    if "offline" in grant.scopes:
        body["refresh_token"] = store.issue_refresh_token(grant, whoop_token())
    return json_response(200, body)


_INVALID_GRANT = ("The provided authorization grant (e.g., authorization code, resource owner credentials) or "
                  "refresh token is invalid, expired, revoked, does not match the redirection URI used in the "
                  "authorization request, or was issued to another client.")


def register(router: Router) -> None:
    """Add WHOOP's OAuth endpoints."""
    router.add("GET", AUTHORIZE_PATH, show_consent, name="whoop.authorize")
    router.add("POST", AUTHORIZE_PATH, decide, name="whoop.authorize")
    router.add("POST", TOKEN_PATH, token, name="whoop.token", fault_body=fault_body)


WHOOP_SERVER = AuthorizationServer(name=SERVER, register=register, knobs=WhoopOAuthKnobs(), scopes=WHOOP_SCOPES)
