"""Handlers of POST /api/oauth/{provider}/start, GET .../callback and POST .../confirm."""

from __future__ import annotations

import azure.functions as func

from shared.errors import RequestError
from shared.http_api import dispatch, error_response, json_body, json_response


def _services():
    from shared.config import get_settings
    from shared.crypto import get_keyring
    from shared.db import get_database

    return get_database(), get_settings(), get_keyring()


def _start(req: func.HttpRequest) -> func.HttpResponse:
    from shared.auth import authenticate
    from shared.clock import utc_now
    from shared.connect_flow import start_connect

    user_id = authenticate(req.headers)
    return_to = json_body(req).get("return_to", req.params.get("return_to"))
    if return_to is not None and not isinstance(return_to, str):
        raise RequestError(400, "malformed_body", "return_to must be a string")
    database, settings, keyring = _services()
    url = start_connect(database, settings, keyring, user_id=user_id, provider_name=req.route_params["provider"],
                        return_to=return_to, now=utc_now())
    return json_response(200, {"authorization_url": url})


def _callback(req: func.HttpRequest) -> func.HttpResponse:
    from shared.clock import utc_now
    from shared.connect_flow import complete_connect
    from shared.return_to import with_result

    database, settings, keyring = _services()
    result = complete_connect(database, settings, keyring, provider_name=req.route_params["provider"],
                              params=dict(req.params), now=utc_now())
    if result.return_to is None:
        return error_response(400, result.status, result.message)
    extra = {"link": result.link} if result.link else {}
    location = with_result(result.return_to, provider=result.provider, status=result.status, **extra)
    return func.HttpResponse(status_code=302, headers={"Location": location, "Cache-Control": "no-store"})


def _confirm(req: func.HttpRequest) -> func.HttpResponse:
    from shared.auth import authenticate
    from shared.clock import utc_now
    from shared.link_confirm import confirm_link

    user_id = authenticate(req.headers)
    link = json_body(req).get("link")
    if not isinstance(link, str) or not link:
        raise RequestError(400, "malformed_body", "link must be the non-empty code the callback returned")
    database, settings, keyring = _services()
    connection = confirm_link(database, settings, keyring, user_id=user_id,
                              provider_name=req.route_params["provider"], code=link, now=utc_now())
    return json_response(200, connection)


def start(req: func.HttpRequest) -> func.HttpResponse:
    """POST: answer the authorization URL."""
    return dispatch(req, {"POST": _start})


def callback(req: func.HttpRequest) -> func.HttpResponse:
    """GET: complete the connection and redirect back."""
    return dispatch(req, {"GET": _callback})


def confirm(req: func.HttpRequest) -> func.HttpResponse:
    """POST: make the pending link the signed-in user's connection."""
    return dispatch(req, {"POST": _confirm})
