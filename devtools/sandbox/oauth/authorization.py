"""The steps every imitated authorization endpoint shares: show the consent page, read the decision."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from devtools.sandbox.oauth.clients import OAuthClient
from devtools.sandbox.oauth.consent import consent_page, error_page
from devtools.sandbox.oauth.forms import ConsentDecision, read_consent_form
from devtools.sandbox.oauth.grants import AuthCode
from devtools.sandbox.web import Request, Response, add_query, redirect

if TYPE_CHECKING:
    from devtools.sandbox.oauth.knobs import Knobs
    from devtools.sandbox.state import SandboxState


class Checked(Protocol):
    """A validated authorization request, as each server's validation returns it."""

    client: OAuthClient
    scopes: tuple[str, ...]
    state: str | None

    @property
    def redirect_uri(self) -> str: ...


@dataclass(frozen=True)
class PlainRequest:
    """A validated authorization request with nothing beyond the client, redirect URI, scopes and state."""

    client: OAuthClient
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None


Validate = Callable[["SandboxState", dict[str, list[str]]], "Checked | Response"]


def show_consent(req: Request, validate: Validate, *, server_label: str, action: str,
                 labels: Mapping[str, str]) -> Response:
    """Validate the request and render the consent page with one labelled checkbox per scope."""
    checked = validate(req.state, dict(req.query))
    if isinstance(checked, Response):
        return checked
    return consent_page(provider=server_label, client_label=checked.client.label,
                        client_id=checked.client.client_id, action=action,
                        scopes=[(s, labels[s]) for s in checked.scopes], hidden=dict(req.query))


def read_decision(req: Request, validate: Validate) -> tuple[Checked, ConsentDecision, dict[str, str]] | Response:
    """Read an approval: the checked request, the decision and the `state` to send back.

    Returns the response to send instead when the request is invalid, the user denied (a redirect
    with error=access_denied) or chose no valid account name.
    """
    form = read_consent_form(req)
    checked = validate(req.state, form.request_params)
    if isinstance(checked, Response):
        return checked
    back = {"state": checked.state} if checked.state is not None else {}
    if not form.approved:
        return redirect(add_query(checked.redirect_uri, {"error": "access_denied", **back}))
    if form.user is None:
        return error_page(400, "invalid_request", "Choose a demo account or type a valid account name.")
    return checked, form, back


def issue_approved_code(req: Request, checked: Checked, form: ConsentDecision, *, server: str, token: str,
                        granted: tuple[str, ...], ttl_seconds: float, issue_refresh_token: bool,
                        recorded_redirect_uri: str | None) -> str:
    """Store a single-use code for the approved scopes (no PKCE) and return it.

    `recorded_redirect_uri` is the redirect URI the token request must repeat (None: it must send none).
    """
    assert form.user is not None
    store = req.state.grants
    return store.issue_code(token, AuthCode(
        provider=server, client_id=checked.client.client_id, user=form.user.name, scopes=granted,
        redirect_uri=recorded_redirect_uri, code_challenge=None, code_challenge_method=None,
        issue_refresh_token=issue_refresh_token, expires_at=store.now() + ttl_seconds))


@dataclass(frozen=True)
class CodeGrant:
    """How a server answers an approval: its code format and lifetime, and what the redirect carries.

    Args:
        server: the server's name in the grant store.
        new_code: makes a fresh code in the server's format.
        ttl_seconds: the code's lifetime, read from the knobs.
        refresh_token: whether the grant brings a refresh token, given the granted scopes.
        recorded_redirect_uri: the redirect URI the token request must repeat (None: it must send none).
        scope_in_redirect: whether the redirect names the granted scopes (`scope=`, space-separated).
    """

    server: str
    new_code: Callable[[], str]
    ttl_seconds: Callable[[Knobs], float]
    refresh_token: Callable[[tuple[str, ...]], bool] = lambda granted: True
    recorded_redirect_uri: Callable[[Checked], str | None] = lambda checked: checked.redirect_uri
    scope_in_redirect: bool = True


def decide(req: Request, validate: Validate, grant: CodeGrant) -> Response:
    """Handle a consent form: redirect back with a code for the ticked scopes, or with error=access_denied."""
    decided = read_decision(req, validate)
    if isinstance(decided, Response):
        return decided
    checked, form, back = decided
    granted = tuple(s for s in checked.scopes if s in form.granted)
    code = issue_approved_code(
        req, checked, form, server=grant.server, token=grant.new_code(), granted=granted,
        ttl_seconds=grant.ttl_seconds(req.state.knobs), issue_refresh_token=grant.refresh_token(granted),
        recorded_redirect_uri=grant.recorded_redirect_uri(checked))
    scope = {"scope": " ".join(granted)} if grant.scope_in_redirect else {}
    return redirect(add_query(checked.redirect_uri, {"code": code, **scope, **back}))
