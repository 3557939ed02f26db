"""Oura's OAuth endpoints: `/oura/oauth/authorize`, `/oura/oauth/token`, `/oura/oauth/revoke`.

Reference: docs/providers/oura.md 2.1-2.6, https://cloud.ouraring.com/docs/authentication
PKCE is not documented by Oura: `code_challenge` is ignored at authorize and `code_verifier` at
the token endpoint, and the client secret is required on every token call.
Refresh tokens are single use; each refresh returns a new one.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from typing import Any

from devtools.sandbox.oauth import authorization
from devtools.sandbox.oauth.clients import OAuthClient
from devtools.sandbox.oauth.consent import error_page
from devtools.sandbox.oauth.forms import authenticated_client, first, ordered_unique
from devtools.sandbox.oauth.servers import AuthorizationServer
from devtools.sandbox.providers.oura.scopes import OURA_SCOPES
from devtools.sandbox.state import SandboxState
from devtools.sandbox.web import Request, Response, Router, json_response

AUTHORIZE_PATH = "/oura/oauth/authorize"
SERVER = "oura"
_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 429: "Too Many Requests",
           500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass(frozen=True)
class OuraOAuthKnobs:
    """Behaviour switches of Oura's OAuth server."""

    oura_access_token_seconds: int = 86400
    # Oura documents only token_type, access_token, expires_in, refresh_token; `scope` is an
    # occasionally observed extra.
    oura_token_includes_scope: bool = False


def oura_token() -> str:
    """Return a token shaped like an Oura token (32 upper-case base32 characters)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def oauth_error(status: int, error: str, title: str, detail: str) -> Response:
    """Answer with Oura's OAuth error body: RFC 7807 fields plus RFC 6749 fields."""
    return json_response(status, {"status": status, "title": title, "detail": detail,
                                  "error": error, "error_description": detail})


def fault_body(status: int) -> Response:
    """Return the body a status fault of an Oura OAuth endpoint answers with."""
    error = {400: "invalid_request", 401: "invalid_client"}.get(status, "server_error")
    return oauth_error(status, error, _TITLES.get(status, "Error"), "Sandbox fault")


@dataclass(frozen=True)
class AuthorizeRequest:
    """A validated Oura authorization request."""

    client: OAuthClient
    sent_redirect_uri: str | None
    scopes: tuple[str, ...]
    state: str | None

    @property
    def redirect_uri(self) -> str:
        """Return where to send the user back (the only registered URI when none was sent)."""
        return self.sent_redirect_uri or self.client.redirect_uris[0]


def _validate(state: SandboxState, params: dict[str, list[str]]) -> AuthorizeRequest | Response:
    client = state.clients.get(SERVER, first(params, "client_id"))
    if client is None:
        return error_page(400, "invalid_client", "Invalid client_id.")
    redirect_uri = first(params, "redirect_uri")
    if redirect_uri is None:
        if len(client.redirect_uris) != 1:
            return error_page(400, "invalid_request", "redirect_uri is required: the app registers several.")
    elif redirect_uri not in client.redirect_uris:
        return error_page(400, "invalid_request", "redirect_uri does not match a registered redirect URI.",
                          {"redirect_uri": redirect_uri})
    response_type = first(params, "response_type")
    if response_type != "code":
        return error_page(400, "unsupported_response_type",
                          f"Unsupported response_type: {response_type} (the sandbox imitates the code flow).")
    scope = first(params, "scope")
    # Omitted scope asks for everything; unknown names (spo2Daily) are silently dropped.
    scopes = tuple(OURA_SCOPES) if scope is None else \
        tuple(s for s in ordered_unique(scope.split()) if s in OURA_SCOPES)
    return AuthorizeRequest(client, redirect_uri, scopes, first(params, "state"))


def show_consent(req: Request) -> Response:
    """Validate the request and render the consent page."""
    return authorization.show_consent(req, _validate, server_label="Oura", action=AUTHORIZE_PATH, labels=OURA_SCOPES)


CODE_GRANT = authorization.CodeGrant(
    server=SERVER, new_code=oura_token, ttl_seconds=lambda knobs: knobs.code_ttl_seconds,
    recorded_redirect_uri=lambda checked: checked.sent_redirect_uri)


def decide(req: Request) -> Response:
    """Handle the consent form: redirect back with a code, or with error=access_denied."""
    return authorization.decide(req, _validate, CODE_GRANT)


def token(req: Request) -> Response:
    """Exchange an authorization code or a (single-use) refresh token."""
    form = req.form()
    grant_type = first(form, "grant_type")
    req.count(grant_type or "none")
    client = authenticated_client(req, form, SERVER)
    if client is None:
        return oauth_error(401, "invalid_client", "Unauthorized", "Client authentication failed.")
    store = req.state.grants
    if grant_type == "authorization_code":
        code = first(form, "code")
        if not code:
            return oauth_error(400, "invalid_request", "Bad Request", "Missing code.")
        details = store.consume_code(code)
        if details is None or details.provider != SERVER or details.client_id != client.client_id \
                or details.expires_at <= store.now():
            return oauth_error(400, "invalid_grant", "Invalid grant",
                               "The authorization code is invalid, expired or already used.")
        if details.redirect_uri is not None and first(form, "redirect_uri") != details.redirect_uri:
            return oauth_error(400, "invalid_grant", "Invalid grant",
                               "redirect_uri does not match the authorization request.")
        grant = store.create_grant(SERVER, client.client_id, details.user, details.scopes)
    elif grant_type == "refresh_token":
        refresh = first(form, "refresh_token")
        if not refresh:
            return oauth_error(400, "invalid_request", "Bad Request", "Missing refresh_token.")
        found = store.redeem_refresh_token(refresh, client.client_id, single_use=True)
        if found is None:
            return oauth_error(400, "invalid_grant", "Token already used or revoked",
                               "The refresh token can only be used once.")
        grant = found
    else:
        return oauth_error(400, "unsupported_grant_type", "Bad Request",
                           "grant_type must be authorization_code or refresh_token.")
    knobs = req.state.knobs
    body: dict[str, Any] = {
        "token_type": "bearer",
        "access_token": store.issue_access_token(grant, oura_token(), knobs.oura_access_token_seconds),
        "expires_in": knobs.oura_access_token_seconds,
        "refresh_token": store.issue_refresh_token(grant, oura_token()),
    }
    if knobs.oura_token_includes_scope:
        body["scope"] = " ".join(grant.scopes)
    return json_response(200, body)


def revoke(req: Request) -> Response:
    """Revoke the grant of `?access_token=...` (POST or GET, token in the query string)."""
    token_value = req.arg("access_token")
    grant = req.state.grants.grant_of_token(token_value) if token_value else None
    if grant is None or grant.provider != SERVER:
        return json_response(401, {"status": 401, "title": "Unauthorized",
                                   "detail": "The access token is invalid or already revoked."})
    req.state.grants.revoke_grant(grant.grant_id)
    return Response(200, b"", (), "text/plain")


def register(router: Router) -> None:
    """Add Oura's OAuth endpoints."""
    router.add("GET", AUTHORIZE_PATH, show_consent, name="oura.authorize")
    router.add("POST", AUTHORIZE_PATH, decide, name="oura.authorize")
    router.add("POST", "/oura/oauth/token", token, name="oura.token", fault_body=fault_body)
    router.add("GET POST", "/oura/oauth/revoke", revoke, name="oura.revoke", fault_body=fault_body)


OURA_SERVER = AuthorizationServer(name=SERVER, register=register, knobs=OuraOAuthKnobs(), scopes=OURA_SCOPES)
