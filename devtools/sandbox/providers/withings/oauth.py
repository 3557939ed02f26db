"""Withings' OAuth: `/withings/oauth2_user/authorize2`, `/withings/v2/oauth2` and `/withings/v2/signature`.

Reference: docs/providers/withings.md 2.1-2.5, 9.
- authorize2 needs response_type, client_id, state, scope (comma-separated) and redirect_uri.
- `requesttoken` takes the client secret in the form body (not Basic); codes live 30 seconds and
  are single use; the answer is an envelope whose body has `userid`, a comma-separated `scope`,
  `expires_in` 10800, `token_type` "Bearer" and `csrf_token`.
- Refresh tokens rotate: the old one stays usable until the new access token is first used or for
  8 hours, whichever comes first.
- `getnonce` (signed `action,client_id,timestamp`) hands out a single-use nonce for 30 minutes;
  `revoke` (signed `action,client_id,nonce`, with `userid`) ends the user's grants.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from devtools.sandbox.oauth import authorization
from devtools.sandbox.oauth.clients import OAuthClient
from devtools.sandbox.oauth.consent import error_page
from devtools.sandbox.oauth.forms import first, ordered_unique, secret_matches
from devtools.sandbox.oauth.grants import Grant
from devtools.sandbox.oauth.servers import AuthorizationServer
from devtools.sandbox.providers.withings.accounts import user_id, user_of
from devtools.sandbox.providers.withings.envelope import INVALID_PARAMS, INVALID_TOKEN, error, ok
from devtools.sandbox.providers.withings.scopes import WITHINGS_SCOPES
from devtools.sandbox.state import SandboxState
from devtools.sandbox.web import Request, Response, Router

AUTHORIZE_PATH = "/withings/oauth2_user/authorize2"
SERVER = "withings"
GRACE_SECONDS = 8 * 3600
NONCE_SECONDS = 1800
EXTRAS_KEY = "withings_oauth"


@dataclass(frozen=True)
class WithingsOAuthKnobs:
    """Behaviour switches of Withings' OAuth server."""

    withings_access_token_seconds: int = 10800
    withings_code_seconds: int = 30
    withings_userid_as_string: bool = True  # the reference types it as integer; clients see strings


@dataclass
class _Rotation:
    """What Withings remembers after a refresh: the old token's grace and the access token that ends it."""

    grants: dict[str, tuple[Grant, str, float]] = field(default_factory=dict)  # old refresh -> grant, new access
    used_access: set[str] = field(default_factory=set)
    nonces: dict[str, tuple[str, float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _rotation(state: SandboxState) -> _Rotation:
    found = state.extras.get(EXTRAS_KEY)
    if found is None:
        found = state.extras.setdefault(EXTRAS_KEY, _Rotation())
    return found


def note_access_token_used(state: SandboxState, token: str) -> None:
    """Record a data call with `token`: the grace of the refresh token it replaced ends."""
    rotation = _rotation(state)
    with rotation.lock:
        if token in rotation.used_access:
            return
        rotation.used_access.add(token)
        for old, (_, access, _) in list(rotation.grants.items()):
            if access == token:
                del rotation.grants[old]


def hex_token() -> str:
    """Return a token shaped like a Withings token (40 hex characters)."""
    return secrets.token_hex(20)


def signature(values: dict[str, str], secret: str) -> str:
    """Return the HMAC-SHA256 of the values sorted by name and comma-joined."""
    message = ",".join(values[name] for name in sorted(values))
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()



def _validate(state: SandboxState, params: dict[str, list[str]]) -> authorization.PlainRequest | Response:
    client = state.clients.get(SERVER, first(params, "client_id"))
    if client is None:
        return error_page(400, "invalid_client", "Invalid client_id.")
    redirect_uri = first(params, "redirect_uri")
    if redirect_uri not in client.redirect_uris:
        return error_page(400, "invalid_request", "redirect_uri does not match a registered Callback URL.",
                          {"redirect_uri": redirect_uri or ""})
    if first(params, "response_type") != "code":
        return error_page(400, "unsupported_response_type", "response_type must be code.")
    scope, given_state = first(params, "scope"), first(params, "state")
    if not scope or not given_state:
        return error_page(400, "invalid_request", "scope and state are required.")
    scopes = tuple(s for s in ordered_unique(scope.split(",")) if s in WITHINGS_SCOPES)
    return authorization.PlainRequest(client, redirect_uri, scopes, given_state)


def show_consent(req: Request) -> Response:
    """Validate the request and render the consent page."""
    return authorization.show_consent(req, _validate, server_label="Withings", action=AUTHORIZE_PATH,
                                      labels=WITHINGS_SCOPES)


CODE_GRANT = authorization.CodeGrant(
    server=SERVER, new_code=hex_token, ttl_seconds=lambda knobs: knobs.withings_code_seconds,
    scope_in_redirect=False)


def decide(req: Request) -> Response:
    """Handle the consent form: redirect back with a 30-second code, or with error=access_denied."""
    return authorization.decide(req, _validate, CODE_GRANT)


def _client(req: Request, form: dict[str, list[str]]) -> OAuthClient | None:
    client = req.state.clients.get(SERVER, first(form, "client_id"))
    return client if client is not None and secret_matches(client, first(form, "client_secret")) else None


def _tokens(req: Request, grant: Grant) -> Response:
    knobs = req.state.knobs
    store = req.state.grants
    access = store.issue_access_token(grant, hex_token(), knobs.withings_access_token_seconds)
    userid = user_id(grant.user)
    return ok({"userid": str(userid) if knobs.withings_userid_as_string else userid,
               "access_token": access, "refresh_token": store.issue_refresh_token(grant, hex_token()),
               "expires_in": knobs.withings_access_token_seconds, "scope": ",".join(grant.scopes),
               "csrf_token": secrets.token_urlsafe(24), "token_type": "Bearer"})


def _refresh(req: Request, client: OAuthClient, refresh: str) -> Response:
    store, rotation = req.state.grants, _rotation(req.state)
    grant = store.redeem_refresh_token(refresh, client.client_id, single_use=True)
    if grant is None:
        with rotation.lock:
            held = rotation.grants.pop(refresh, None)
        if held is None or held[2] <= store.now() or held[0] not in store.grants(SERVER):
            return error(INVALID_TOKEN, "invalid_token: The refresh token is invalid")
        grant = held[0]
    answer = _tokens(req, grant)
    access = _access_of(answer)
    with rotation.lock:
        rotation.grants[refresh] = (grant, access, store.now() + GRACE_SECONDS)
    return answer


def _access_of(answer: Response) -> str:
    import json

    return json.loads(answer.body)["body"]["access_token"]


def _request_token(req: Request, form: dict[str, list[str]]) -> Response:
    grant_type = first(form, "grant_type")
    req.count(grant_type or "none")
    if req.basic_auth() is not None and first(form, "client_secret") is None:
        return error(INVALID_PARAMS, "Invalid Params: client credentials belong in the body")
    client = _client(req, form)
    if client is None:
        return error(INVALID_PARAMS, "Invalid Params: invalid client_id or client_secret")
    store = req.state.grants
    if grant_type == "authorization_code":
        details = store.consume_code(first(form, "code") or "")
        if details is None or details.provider != SERVER or details.client_id != client.client_id \
                or details.expires_at <= store.now():
            return error(INVALID_PARAMS, "Invalid Params: invalid code")
        if first(form, "redirect_uri") != details.redirect_uri:
            return error(INVALID_PARAMS, "Invalid Params: redirect_uri mismatch")
        return _tokens(req, store.create_grant(SERVER, client.client_id, details.user, details.scopes))
    if grant_type == "refresh_token":
        return _refresh(req, client, first(form, "refresh_token") or "")
    return error(INVALID_PARAMS, "Invalid Params: grant_type")


def _signed(req: Request, form: dict[str, list[str]], names: tuple[str, ...]) -> OAuthClient | None:
    client = req.state.clients.get(SERVER, first(form, "client_id"))
    values = {name: first(form, name) or "" for name in names}
    if client is None or client.client_secret is None:
        return None
    expected = signature(values, client.client_secret)
    return client if hmac.compare_digest(expected, first(form, "signature") or "") else None


def _revoke(req: Request, form: dict[str, list[str]]) -> Response:
    req.count("revoke")
    client = _signed(req, form, ("action", "client_id", "nonce"))
    if client is None:
        return error(INVALID_PARAMS, "Invalid Params: invalid signature")
    rotation, now = _rotation(req.state), time.time()
    with rotation.lock:
        issued = rotation.nonces.pop(first(form, "nonce") or "", None)
    if issued is None or issued[0] != client.client_id or issued[1] <= now:
        return error(INVALID_PARAMS, "Invalid Params: invalid nonce")
    user = user_of(first(form, "userid"), (grant.user for grant in req.state.grants.grants(SERVER)))
    if user is None:
        return error(INVALID_PARAMS, "Invalid Params: invalid userid")
    for grant in req.state.grants.grants(SERVER, user):
        if grant.client_id == client.client_id:
            req.state.grants.revoke_grant(grant.grant_id)
    from devtools.sandbox.providers.withings.notify import subscriptions_in

    subscriptions_in(req.state).drop_user(user)  # revocation ends the user's notifications (withings.md 8)
    return ok({})


def oauth2(req: Request) -> Response:
    """Answer POST /v2/oauth2: `requesttoken` or `revoke`."""
    form = req.form()
    action = first(form, "action")
    if action == "requesttoken":
        return _request_token(req, form)
    if action == "revoke":
        return _revoke(req, form)
    return error(INVALID_PARAMS, "Invalid Params: unknown action")


def signature_service(req: Request) -> Response:
    """Answer POST /v2/signature `getnonce` (signed `action,client_id,timestamp`)."""
    form = req.form()
    if first(form, "action") != "getnonce":
        return error(INVALID_PARAMS, "Invalid Params: unknown action")
    client = _signed(req, form, ("action", "client_id", "timestamp"))
    if client is None:
        return error(INVALID_PARAMS, "Invalid Params: invalid signature")
    nonce = hex_token()
    rotation = _rotation(req.state)
    with rotation.lock:
        rotation.nonces[nonce] = (client.client_id, time.time() + NONCE_SECONDS)
    return ok({"nonce": nonce})


def register(router: Router) -> None:
    """Add Withings' OAuth endpoints."""
    from devtools.sandbox.providers.withings.envelope import fault_body

    router.add("GET", AUTHORIZE_PATH, show_consent, name="withings.authorize")
    router.add("POST", AUTHORIZE_PATH, decide, name="withings.authorize")
    router.add("POST", "/withings/v2/oauth2", oauth2, name="withings.token", fault_body=fault_body)
    router.add("POST", "/withings/v2/signature", signature_service, name="withings.signature",
               fault_body=fault_body)


def grant_user(grant: Grant) -> Any:
    """Return the Withings user id of a grant."""
    return user_id(grant.user)


WITHINGS_SERVER = AuthorizationServer(name=SERVER, register=register, knobs=WithingsOAuthKnobs(),
                                      scopes=WITHINGS_SCOPES)
