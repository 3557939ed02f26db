"""Sandbox-only test controls under `/_sandbox/` (the same state tests reach in-process).

    GET    /_sandbox/counters                 {"counters": {"google.token": 2, "google.token:refresh_token": 1}}
    GET    /_sandbox/calls?window=60          per user and API: calls made with the user's tokens and the most
                                              in any `window` seconds {"calls": [{"user", "api", "calls", "peak"}]}
    DELETE /_sandbox/calls                    forget the calls
    DELETE /_sandbox/counters                 zero every counter
    GET    /_sandbox/faults                   pending faults
    POST   /_sandbox/faults                   queue one: {"endpoint": "google.token", "kind": "status",
                                              "status": 503, "count": 2} (see faults.Fault)
    DELETE /_sandbox/faults                   drop pending faults
    GET    /_sandbox/config                   knobs of the OAuth servers (see oauth.knobs.Knobs)
    POST   /_sandbox/config                   change knobs: {"google_testing_mode": true}
    POST   /_sandbox/reset                    forget grants, faults, counters, knob and client changes
    POST   /_sandbox/tokens/expire            {"provider"?: <authorization server>, "user"?: "alice"}
    POST   /_sandbox/grants/revoke            the user revokes access at the provider (same filter)
    GET    /_sandbox/grants                   live grants (no token values)
    GET    /_sandbox/users                    demo users and their provider account ids
    GET    /_sandbox/providers                the imitated providers (names, as the app's routes use them)
    POST   /_sandbox/clients/redirect-uris    {"client_id": ..., "redirect_uri": ...}
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from devtools.sandbox.faults import Fault
from devtools.sandbox.users import DEMO_USERS
from devtools.sandbox.web import Request, Response, Router, json_response


def _bad(message: str) -> Response:
    return json_response(400, {"error": {"code": "bad_request", "message": message}})


def _filter(req: Request) -> tuple[str | None, str | None] | Response:
    body = req.json() or {}
    if not isinstance(body, dict) or set(body) - {"provider", "user"}:
        return _bad("expected a JSON object with optional provider and user")
    return body.get("provider"), body.get("user")


def counters(req: Request) -> Response:
    """Answer every call counter."""
    return json_response(200, {"counters": req.state.counters.snapshot()})


def clear_counters(req: Request) -> Response:
    """Zero every counter."""
    req.state.counters.clear()
    return json_response(200, {"counters": {}})


def user_calls(req: Request) -> Response:
    """Answer each user's calls per API, with the busiest window of `window` seconds (default 60)."""
    try:
        window = float(req.arg("window") or 60)
    except ValueError:
        window = 0
    if not window > 0:
        return _bad("window must be a positive number of seconds")
    return json_response(200, {"window": window, "calls": [asdict(item) for item in req.state.calls.peaks(window)]})


def clear_user_calls(req: Request) -> Response:
    """Forget every recorded call."""
    req.state.calls.clear()
    return json_response(200, {"calls": []})


def faults(req: Request) -> Response:
    """Answer the pending faults."""
    return json_response(200, {"faults": [f.to_json() for f in req.state.faults.pending()]})


def add_fault(req: Request) -> Response:
    """Queue a fault."""
    try:
        fault = Fault.from_json(req.json())
    except ValueError as exc:
        return _bad(str(exc))
    req.state.faults.add(fault)
    return json_response(201, {"fault": fault.to_json()})


def clear_faults(req: Request) -> Response:
    """Drop every pending fault."""
    req.state.faults.clear()
    return json_response(200, {"faults": []})


def config(req: Request) -> Response:
    """Answer the knobs."""
    return json_response(200, {"config": req.state.knobs.to_json()})


def set_config(req: Request) -> Response:
    """Change knobs."""
    body = req.json()
    if not isinstance(body, dict):
        return _bad("expected a JSON object of knob values")
    try:
        knobs = req.state.set_knobs(**body)
    except ValueError as exc:
        return _bad(str(exc))
    return json_response(200, {"config": knobs.to_json()})


def reset(req: Request) -> Response:
    """Forget all dynamic state."""
    req.state.reset()
    return json_response(200, {"reset": True})


def expire_tokens(req: Request) -> Response:
    """Expire matching access tokens now."""
    chosen = _filter(req)
    if isinstance(chosen, Response):
        return chosen
    return json_response(200, {"expired": req.state.grants.expire_access_tokens(*chosen)})


def revoke_grants(req: Request) -> Response:
    """Revoke matching grants, as a user removing the app's access at the provider."""
    chosen = _filter(req)
    if isinstance(chosen, Response):
        return chosen
    matched = req.state.grants.grants(*chosen)
    for grant in matched:
        req.state.grants.revoke_grant(grant.grant_id)
    return json_response(200, {"revoked": len(matched)})


def grants(req: Request) -> Response:
    """Answer the live grants with their token counts (never token values)."""
    store = req.state.grants
    items: list[dict[str, Any]] = []
    for grant in store.grants(req.arg("provider"), req.arg("user")):
        access, refresh = store.token_counts(grant.grant_id)
        items.append({**asdict(grant), "scopes": list(grant.scopes), "access_tokens": access,
                      "refresh_tokens": refresh})
    return json_response(200, {"grants": items})


def users(req: Request) -> Response:
    """Answer the demo users with their account ids at each provider."""
    listed = []
    for user in DEMO_USERS:
        fields = asdict(user)
        for provider in req.state.providers:
            fields.update(provider.accounts(user.name))
        listed.append(fields)
    return json_response(200, {"users": listed})


def providers(req: Request) -> Response:
    """Answer the imitated providers' names, in registry order."""
    return json_response(200, {"providers": [provider.name for provider in req.state.providers]})


def add_redirect_uri(req: Request) -> Response:
    """Register one more redirect URI for a client."""
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("client_id"), str) \
            or not isinstance(body.get("redirect_uri"), str):
        return _bad("expected {\"client_id\": ..., \"redirect_uri\": ...}")
    try:
        client = req.state.clients.add_redirect_uri(body["client_id"], body["redirect_uri"])
    except KeyError:
        return _bad(f"unknown client {body['client_id']}")
    return json_response(200, {"client_id": client.client_id, "redirect_uris": list(client.redirect_uris)})


def register(router: Router) -> None:
    """Add the control routes (uncounted: their names start with an underscore)."""
    for methods, path, handler in (
        ("GET", "/_sandbox/counters", counters), ("DELETE", "/_sandbox/counters", clear_counters),
        ("GET", "/_sandbox/calls", user_calls), ("DELETE", "/_sandbox/calls", clear_user_calls),
        ("GET", "/_sandbox/faults", faults), ("POST", "/_sandbox/faults", add_fault),
        ("DELETE", "/_sandbox/faults", clear_faults), ("GET", "/_sandbox/config", config),
        ("POST", "/_sandbox/config", set_config), ("POST", "/_sandbox/reset", reset),
        ("POST", "/_sandbox/tokens/expire", expire_tokens), ("POST", "/_sandbox/grants/revoke", revoke_grants),
        ("GET", "/_sandbox/grants", grants), ("GET", "/_sandbox/users", users),
        ("GET", "/_sandbox/providers", providers),
        ("POST", "/_sandbox/clients/redirect-uris", add_redirect_uri),
    ):
        router.add(methods, path, handler, name="_sandbox")
