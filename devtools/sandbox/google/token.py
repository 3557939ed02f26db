"""Google's token and revocation endpoints: `POST /google/token`, `POST /google/revoke`.

Reference: the OAuth sections of the docs page of each provider using Google's server (docs/providers/),
https://developers.google.com/identity/protocols/oauth2/web-server
Errors are RFC 6749 bodies `{"error", "error_description"}`, not the API error envelope.
"""

from __future__ import annotations

from typing import Any

from devtools.sandbox.google.scopes import GOOGLE_AUTH
from devtools.sandbox.google.tokens import SERVER, google_access_token, google_refresh_token
from devtools.sandbox.jwt_tools import encode_jwt
from devtools.sandbox.oauth.forms import client_credentials, first, secret_matches, verifier_matches
from devtools.sandbox.oauth.grants import Grant
from devtools.sandbox.users import find_user
from devtools.sandbox.web import Request, Response, json_response

TESTING_REFRESH_SECONDS = 604799
_FAULT_ERRORS = {400: "invalid_request", 401: "invalid_client", 403: "access_denied",
                 429: "rate_limit_exceeded", 500: "server_error", 503: "temporarily_unavailable"}


def oauth_error(status: int, error: str, description: str) -> Response:
    """Answer with Google's OAuth error body."""
    return json_response(status, {"error": error, "error_description": description})


def fault_body(status: int) -> Response:
    """Return the body a status fault of the token endpoint answers with."""
    error = _FAULT_ERRORS.get(status, "server_error" if status >= 500 else "invalid_request")
    return oauth_error(status, error, "Sandbox fault")


def _id_token(req: Request, grant: Grant) -> str | None:
    """Return an OpenID Connect id_token when `openid` was granted (signed with the sandbox key)."""
    user = find_user(grant.user)
    if "openid" not in grant.scopes or user is None:
        return None
    now = int(req.state.grants.now())
    claims: dict[str, Any] = {"iss": "https://accounts.google.com", "azp": grant.client_id,
                              "aud": grant.client_id, "sub": user.google_sub, "iat": now, "exp": now + 3600}
    if {"email", GOOGLE_AUTH + "userinfo.email"} & set(grant.scopes):
        claims.update(email=user.email, email_verified=True)
    key = req.state.oidc.key
    return encode_jwt({"alg": "RS256", "kid": key.kid, "typ": "JWT"}, claims, key=key)


def _token_body(req: Request, grant: Grant, refresh_token: str | None) -> dict[str, Any]:
    knobs = req.state.knobs
    access = req.state.grants.issue_access_token(grant, google_access_token(), knobs.google_access_token_seconds)
    body: dict[str, Any] = {"access_token": access, "expires_in": knobs.google_access_token_seconds}
    if refresh_token is not None:
        body["refresh_token"] = refresh_token
    body["scope"] = " ".join(grant.scopes)
    body["token_type"] = "Bearer"
    id_token = _id_token(req, grant)
    if id_token is not None:
        body["id_token"] = id_token
    if refresh_token is not None and knobs.google_testing_mode:
        body["refresh_token_expires_in"] = TESTING_REFRESH_SECONDS
    return body


def token(req: Request) -> Response:
    """Exchange an authorization code or a refresh token."""
    form = req.form()
    grant_type = first(form, "grant_type")
    req.count(grant_type or "none")
    creds = client_credentials(req, form)
    if creds.conflicting:
        return oauth_error(400, "invalid_request", "Client credentials in the header and the body differ.")
    if not creds.client_id:
        return oauth_error(400, "invalid_request", "Could not determine client ID from request.")
    client = req.state.clients.get(SERVER, creds.client_id)
    if client is None:
        return oauth_error(401, "invalid_client", "The OAuth client was not found.")
    if not secret_matches(client, creds.client_secret):
        return oauth_error(401, "invalid_client", "Unauthorized")
    if not grant_type:
        return oauth_error(400, "invalid_request", "Missing required parameter: grant_type")
    if grant_type == "authorization_code":
        return _exchange_code(req, form, client.client_id)
    if grant_type == "refresh_token":
        return _refresh(req, form, client.client_id)
    return oauth_error(400, "unsupported_grant_type", f"Invalid grant_type: {grant_type}")


def _exchange_code(req: Request, form: dict[str, list[str]], client_id: str) -> Response:
    code = first(form, "code")
    if not code:
        return oauth_error(400, "invalid_request", "Missing required parameter: code")
    store = req.state.grants
    # A code is spent by any exchange attempt of an authenticated client, successful or not.
    details = store.consume_code(code)
    if details is None or details.provider != SERVER or details.client_id != client_id \
            or details.expires_at <= store.now():
        return oauth_error(400, "invalid_grant", "Bad Request")
    if first(form, "redirect_uri") != details.redirect_uri:
        return oauth_error(400, "redirect_uri_mismatch", "Bad Request")
    verifier = first(form, "code_verifier")
    if details.code_challenge is not None:
        if not verifier:
            return oauth_error(400, "invalid_grant", "Missing code verifier.")
        if not verifier_matches(verifier, details.code_challenge, details.code_challenge_method or "plain"):
            return oauth_error(400, "invalid_grant", "Invalid code verifier.")
    elif verifier:
        return oauth_error(400, "invalid_grant", "code_verifier or verifier is not needed.")
    grant = store.create_grant(SERVER, client_id, details.user, details.scopes)
    refresh = store.issue_refresh_token(grant, google_refresh_token()) if details.issue_refresh_token else None
    return json_response(200, _token_body(req, grant, refresh))


def _refresh(req: Request, form: dict[str, list[str]], client_id: str) -> Response:
    refresh_token = first(form, "refresh_token")
    if not refresh_token:
        return oauth_error(400, "invalid_request", "Missing required parameter: refresh_token")
    store = req.state.grants
    # Google refresh tokens are reusable: the same one keeps working until revoked.
    grant = store.redeem_refresh_token(refresh_token, client_id, single_use=False)
    if grant is None:
        return oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
    rotated = None
    if req.state.knobs.google_rotate_refresh_token:
        rotated = store.issue_refresh_token(grant, google_refresh_token())
    return json_response(200, _token_body(req, grant, rotated))


def revoke(req: Request) -> Response:
    """Revoke an access or refresh token, and with it the whole grant."""
    token_value = first(req.form(), "token") or req.arg("token")
    if not token_value:
        return oauth_error(400, "invalid_request", "Missing required parameter: token")
    grant = req.state.grants.grant_of_token(token_value)
    if grant is None or grant.provider != SERVER:
        return oauth_error(400, "invalid_token", "Token expired or revoked")
    req.state.grants.revoke_grant(grant.grant_id)
    return json_response(200, {})
