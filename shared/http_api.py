"""JSON answers and request parsing shared by the HTTP functions."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

import azure.functions as func

from shared.config import SettingsError
from shared.errors import AuthError, RequestError

JSON = "application/json"
log = logging.getLogger(__name__)


def json_response(status: int, body: Any, headers: Mapping[str, str] | None = None) -> func.HttpResponse:
    """Answer with a JSON body."""
    return func.HttpResponse(
        json.dumps(body, default=str), status_code=status, mimetype=JSON,
        headers={"Cache-Control": "no-store", **(headers or {})})


def error_response(status: int, code: str, message: str,
                   headers: Mapping[str, str] | None = None) -> func.HttpResponse:
    """Answer with the stable JSON error shape `{"error": {"code", "message"}}`."""
    return json_response(status, {"error": {"code": code, "message": message}}, headers)


def auth_error_response(error: AuthError) -> func.HttpResponse:
    """Answer 401 for a refused bearer token, with a WWW-Authenticate challenge."""
    challenge = f'Bearer realm="personicle-connect", error="invalid_token", error_description="{error.code}"'
    if error.code == "missing_token":
        challenge = 'Bearer realm="personicle-connect"'
    return error_response(401, error.code, str(error), {"WWW-Authenticate": challenge})


def json_body(req: func.HttpRequest) -> dict[str, Any]:
    """Return the JSON object body, `{}` when empty.

    Raises:
        RequestError: 400 when the body is not a JSON object.
    """
    raw = req.get_body() or b""
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RequestError(400, "malformed_body", "the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise RequestError(400, "malformed_body", "the request body must be a JSON object")
    return body


def dispatch(req: func.HttpRequest, handlers: Mapping[str, Callable[[func.HttpRequest], func.HttpResponse]]
             ) -> func.HttpResponse:
    """Call the handler of the request's method; 405 for other methods; errors become JSON."""
    handler = handlers.get(req.method.upper())
    if handler is None:
        allowed = ", ".join(sorted(handlers))
        return error_response(405, "method_not_allowed", f"use {allowed}", {"Allow": allowed})
    try:
        return handler(req)
    except AuthError as error:
        return auth_error_response(error)
    except RequestError as error:
        return error_response(error.status, error.code, str(error), error.headers)
    except SettingsError as error:
        log.error("the app is misconfigured: %s", error)
        return error_response(503, "misconfigured", "the server is not configured completely; see /api/health")


ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
