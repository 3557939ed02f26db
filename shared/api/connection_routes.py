"""Handlers of the connections API: list, disconnect, sync now."""

from __future__ import annotations

import azure.functions as func

from shared.http_api import dispatch, json_response


def _user(req: func.HttpRequest) -> str:
    from shared.auth import authenticate

    return authenticate(req.headers)


def _list(req: func.HttpRequest) -> func.HttpResponse:
    from shared.config import get_settings
    from shared.connection_service import describe_connections
    from shared.db import get_database

    user_id = _user(req)
    return json_response(200, {"connections": describe_connections(get_database(), get_settings(), user_id)})


def _disconnect(req: func.HttpRequest) -> func.HttpResponse:
    from shared.clock import utc_now
    from shared.config import get_settings
    from shared.connection_service import disconnect as disconnect_connection
    from shared.crypto import get_keyring
    from shared.db import get_database

    user_id = _user(req)
    result = disconnect_connection(get_database(), get_settings(), get_keyring(), user_id=user_id,
                                   provider_name=req.route_params["provider"], now=utc_now())
    return json_response(200, result)


def _sync(req: func.HttpRequest) -> func.HttpResponse:
    from shared.clock import utc_now
    from shared.config import get_settings
    from shared.connection_service import request_sync
    from shared.db import get_database

    user_id = _user(req)
    result = request_sync(get_database(), get_settings(), user_id=user_id, provider_name=req.route_params["provider"],
                          now=utc_now())
    return json_response(202, result)


def list_connections(req: func.HttpRequest) -> func.HttpResponse:
    """GET /api/connections."""
    return dispatch(req, {"GET": _list})


def disconnect(req: func.HttpRequest) -> func.HttpResponse:
    """DELETE /api/connections/{provider}."""
    return dispatch(req, {"DELETE": _disconnect})


def sync_now(req: func.HttpRequest) -> func.HttpResponse:
    """POST /api/connections/{provider}/sync."""
    return dispatch(req, {"POST": _sync})
