"""The steps every imitated authorization endpoint shares: show the consent page, read the decision."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

from devtools.sandbox.oauth.clients import OAuthClient
from devtools.sandbox.oauth.consent import consent_page, error_page
from devtools.sandbox.oauth.forms import ConsentDecision, read_consent_form
from devtools.sandbox.oauth.grants import AuthCode
from devtools.sandbox.web import Request, Response, add_query, redirect

if TYPE_CHECKING:
    from devtools.sandbox.state import SandboxState


class Checked(Protocol):
    """A validated authorization request, as each server's validation returns it."""

    client: OAuthClient
    scopes: tuple[str, ...]
    state: str | None

    @property
    def redirect_uri(self) -> str: ...


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
