"""Fixtures for the connect flow: the sandbox on the test port, the real function handlers, helpers."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import azure.functions as func

from devtools.localhost.index import app_functions
from devtools.sandbox.client import authorize
from function_app import app
from shared.return_to import with_result
from tests.api_contract import check_answer
from tests.conftest import API, DEMO

HANDLERS = {f.get_function_name(): f.get_user_function() for f in app_functions(app)}
ROUTES = {f.get_function_name(): "/api/" + binding["route"] for f in app_functions(app)
          for binding in f.get_bindings_dict()["bindings"] if binding["type"] == "httpTrigger"}


def http_request(method: str, route: str, *, token: str | None = None, body=None, params=None,
                 route_params=None, headers=None) -> func.HttpRequest:
    """Build the request the host would pass to a handler."""
    all_headers = dict(headers or {})
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    raw = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else b"")
    return func.HttpRequest(method=method, url=f"{API}/{route}", headers=all_headers, params=params or {},
                            route_params=route_params or {}, body=raw)


def call(function_name: str, req: func.HttpRequest) -> func.HttpResponse:
    """Call a registered function's handler; its answer must be one the OpenAPI document describes."""
    answer = HANDLERS[function_name](req)
    if function_name in ROUTES:
        check_answer(ROUTES[function_name], req.method, answer.status_code, answer.get_body(), answer.mimetype)
    return answer


def start_connect(token: str, provider: str, return_to: str | None = DEMO) -> func.HttpResponse:
    """POST /api/oauth/{provider}/start."""
    body = {"return_to": return_to} if return_to else None
    return call("oauth_start", http_request("POST", f"oauth/{provider}/start", token=token, body=body,
                                            route_params={"provider": provider}))


def callback_with(provider: str, params: dict) -> func.HttpResponse:
    """GET /api/oauth/{provider}/callback with these query parameters."""
    return call("oauth_callback", http_request("GET", f"oauth/{provider}/callback", params=params,
                                               route_params={"provider": provider}))


def follow_consent(authorization_url: str, **consent) -> tuple[str, dict]:
    """Submit the sandbox consent page; return the callback's provider route and query parameters."""
    location = authorize(authorization_url, **consent)
    parts = urlsplit(location)
    provider = parts.path.rstrip("/").split("/")[-2]
    return provider, {key: values[0] for key, values in parse_qs(parts.query).items()}


def consent(token: str, provider: str, *, sandbox_user: str = "alice", **consent) -> func.HttpResponse:
    """Start, consent and call back; return the callback's answer (a pending link when all went well)."""
    answer = start_connect(token, provider)
    assert answer.status_code == 200, answer.get_body()
    route_provider, params = follow_consent(json.loads(answer.get_body())["authorization_url"],
                                            user=sandbox_user, **consent)
    return callback_with(route_provider, params)


def confirm(token: str, provider: str, link) -> func.HttpResponse:
    """POST /api/oauth/{provider}/confirm with `{"link": link}`."""
    return call("oauth_confirm", http_request("POST", f"oauth/{provider}/confirm", token=token, body={"link": link},
                                              route_params={"provider": provider}))


def connect(token: str, provider: str, *, sandbox_user: str = "alice", **consent_options) -> func.HttpResponse:
    """Connect fully (callback, then confirmation with the same bearer), as the frontend does.

    Returns the callback's redirect when it did not end pending, the confirmation's answer when that
    failed, and otherwise the redirect the frontend shows after confirming (`status=connected`).
    """
    answer = consent(token, provider, sandbox_user=sandbox_user, **consent_options)
    result = redirect_status(answer)
    if result["status"] != "pending":
        return answer
    confirmed = confirm(token, result["provider"], result["link"])
    if confirmed.status_code != 200:
        return confirmed
    page = urlsplit(answer.headers["Location"])._replace(query="").geturl()
    return func.HttpResponse(status_code=302, headers={
        "Location": with_result(page, provider=result["provider"], status="connected")})


def redirect_status(answer: func.HttpResponse) -> dict:
    """Return the query parameters of a callback redirect."""
    assert answer.status_code == 302, answer.get_body()
    location = answer.headers["Location"]
    assert location.startswith(DEMO)
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def error_code(answer: func.HttpResponse) -> str:
    """Return the stable error code of a JSON error answer."""
    return json.loads(answer.get_body())["error"]["code"]
