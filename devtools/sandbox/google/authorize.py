"""Google's authorization endpoint: `GET|POST /google/o/oauth2/v2/auth` (consent page and redirect).

Reference: the OAuth sections of the docs page of each provider using Google's server (docs/providers/),
https://developers.google.com/identity/protocols/oauth2/web-server
"""

from __future__ import annotations

from dataclasses import dataclass

from devtools.sandbox.google.tokens import SERVER, google_code
from devtools.sandbox.oauth import authorization
from devtools.sandbox.oauth.consent import error_page
from devtools.sandbox.oauth.forms import challenge_well_formed, first, ordered_unique
from devtools.sandbox.oauth.grants import AuthCode
from devtools.sandbox.state import SandboxState
from devtools.sandbox.web import Request, Response, add_query, redirect

PATH = "/google/o/oauth2/v2/auth"
PROMPTS = ("none", "consent", "select_account")


@dataclass(frozen=True)
class AuthorizeRequest(authorization.PlainRequest):
    """A validated Google authorization request: the plain one with offline access, prompts and PKCE."""

    offline: bool
    prompt: tuple[str, ...]
    include_granted_scopes: bool
    code_challenge: str | None
    code_challenge_method: str | None


def _invalid(message: str, **details: str) -> Response:
    return error_page(400, "invalid_request", message, details)


def validate(state: SandboxState, params: dict[str, list[str]]) -> AuthorizeRequest | Response:
    """Check an authorization request as Google does; errors are pages, not redirects."""
    client_id = first(params, "client_id")
    if not client_id:
        return _invalid("Missing required parameter: client_id")
    client = state.clients.get(SERVER, client_id)
    if client is None:
        return error_page(401, "invalid_client", "The OAuth client was not found.", {"client_id": client_id})
    redirect_uri = first(params, "redirect_uri")
    if not redirect_uri:
        return _invalid("Missing required parameter: redirect_uri")
    if redirect_uri not in client.redirect_uris:
        return error_page(400, "redirect_uri_mismatch",
                          "You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 "
                          "policy. Register the redirect URI for this client.", {"redirect_uri": redirect_uri})
    response_type = first(params, "response_type")
    if not response_type:
        return _invalid("Required parameter is missing: response_type")
    if response_type != "code":
        return error_page(400, "unsupported_response_type", f"Invalid response_type: {response_type}")
    scope = first(params, "scope") or ""
    scopes = ordered_unique(scope.split())
    if not scopes:
        return _invalid("Missing required parameter: scope")
    unknown = [s for s in scopes if s not in state.scopes(SERVER)]
    if unknown:
        return error_page(400, "invalid_scope", f"Some requested scopes were invalid. {{invalid={unknown}}}")
    access_type = first(params, "access_type") or "online"
    if access_type not in ("online", "offline"):
        return _invalid(f"Invalid access_type: {access_type}")
    prompt = tuple((first(params, "prompt") or "").split())
    if any(p not in PROMPTS for p in prompt) or ("none" in prompt and len(prompt) > 1):
        return _invalid(f"Invalid prompt: {' '.join(prompt)}")
    include = first(params, "include_granted_scopes")
    if include not in (None, "true", "false"):
        return _invalid(f"Invalid include_granted_scopes: {include}")
    challenge, method = first(params, "code_challenge"), first(params, "code_challenge_method")
    if challenge is None and method is not None:
        return _invalid("Missing required parameter: code_challenge")
    if challenge is not None:
        method = method or "plain"
        if method not in ("S256", "plain"):
            return _invalid(f"Invalid code_challenge_method: {method}")
        if not challenge_well_formed(challenge, method):
            return _invalid("Invalid code_challenge")
    if client.require_pkce_s256 and method != "S256":
        return _invalid("Missing required parameter: code_challenge (this sandbox client requires PKCE with "
                        "code_challenge_method=S256)")
    return AuthorizeRequest(client, redirect_uri, scopes, first(params, "state"), access_type == "offline",
                            prompt, include == "true", challenge, method)


def show_consent(req: Request) -> Response:
    """Validate the request and render the consent page."""
    return authorization.show_consent(req, validate, server_label="Google", action=PATH,
                                      labels=req.state.scopes(SERVER))


def decide(req: Request) -> Response:
    """Handle the consent form: redirect back with a code, or with error=access_denied."""
    decided = authorization.read_decision(req, validate)
    if isinstance(decided, Response):
        return decided
    checked, form, back = decided
    assert isinstance(checked, AuthorizeRequest) and form.user is not None
    grants = req.state.grants
    previous = grants.consented_scopes(checked.client.client_id, form.user.name)
    granted = tuple(s for s in checked.scopes if s in form.granted)
    if checked.include_granted_scopes and previous:
        granted = ordered_unique([*previous, *granted])
    # Google returns a refresh token only on first consent for the client, or with prompt=consent.
    issue_refresh = checked.offline and ("consent" in checked.prompt or previous is None)
    code = grants.issue_code(google_code(), AuthCode(
        provider=SERVER, client_id=checked.client.client_id, user=form.user.name, scopes=granted,
        redirect_uri=checked.redirect_uri, code_challenge=checked.code_challenge,
        code_challenge_method=checked.code_challenge_method, issue_refresh_token=issue_refresh,
        expires_at=grants.now() + req.state.knobs.code_ttl_seconds))
    return redirect(add_query(checked.redirect_uri, {
        **back, "code": code, "scope": " ".join(granted), "authuser": "0",
        "prompt": "consent" if "consent" in checked.prompt or previous is None else "none"}))
