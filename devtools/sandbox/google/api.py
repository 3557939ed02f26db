"""Google API front-end behaviour shared by the imitated Google APIs: error envelope, bearer check, 404 page.

The error envelope follows AIP-193 (see the error sections of the Google providers' pages under
docs/providers/). A provider's API checks its calls with `authenticate` first, then its own scope
and account rules.
"""

from __future__ import annotations

from typing import Any

from devtools.sandbox.google.tokens import SERVER
from devtools.sandbox.oauth.grants import TokenInfo
from devtools.sandbox.web import Request, Response, html_response, json_response

HEALTH_DOMAIN = "health.googleapis.com"
STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
                409: "ALREADY_EXISTS", 412: "FAILED_PRECONDITION", 429: "RESOURCE_EXHAUSTED",
                500: "INTERNAL", 502: "UNAVAILABLE", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}
UNAUTHENTICATED_MESSAGE = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
    "valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.")
WWW_AUTHENTICATE = 'Bearer realm="https://accounts.google.com/", error="invalid_token"'
NOT_FOUND_PAGE = ("<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error 404 (Not Found)!!1</title>"
                  "<p><b>404.</b> <ins>That's an error.</ins><p>The requested URL <code>{path}</code> was not "
                  "found on this server. <ins>That's all we know.</ins></html>")


def google_error(status: int, message: str, *, status_name: str | None = None, reason: str | None = None,
                 domain: str = HEALTH_DOMAIN, metadata: dict[str, str] | None = None,
                 headers: dict[str, str] | None = None) -> Response:
    """Answer with the Google API error envelope; `reason` adds a google.rpc.ErrorInfo detail."""
    error: dict[str, Any] = {"code": status, "message": message,
                             "status": status_name or STATUS_NAMES.get(status, "UNKNOWN")}
    if reason is not None:
        info: dict[str, Any] = {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason,
                                "domain": domain}
        if metadata:
            info["metadata"] = metadata
        error["details"] = [info]
    return json_response(status, {"error": error}, headers)


def fault_body(status: int) -> Response:
    """Return the body a status fault of a Google API endpoint answers with."""
    return google_error(status, "Sandbox fault")


def not_found(req: Request) -> Response:
    """Answer an unknown route with Google's HTML 404 page."""
    return html_response(404, NOT_FOUND_PAGE.format(path=req.path))


def authenticate(req: Request) -> TokenInfo | Response:
    """Return the info of the request's live Google access token, or the 401 to send."""
    token = req.bearer()
    if token is None:
        return google_error(401, UNAUTHENTICATED_MESSAGE, reason="CREDENTIALS_MISSING", domain="googleapis.com",
                            headers={"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'})
    info = req.state.grants.lookup_access_token(token)
    if info is None or info.grant.provider != SERVER:
        return google_error(401, UNAUTHENTICATED_MESSAGE, headers={"WWW-Authenticate": WWW_AUTHENTICATE})
    return info


def insufficient_scopes(service: str, method: str) -> Response:
    """Answer 403 ACCESS_TOKEN_SCOPE_INSUFFICIENT for an RPC method of `service`."""
    return google_error(403, "Request had insufficient authentication scopes.",
                        reason="ACCESS_TOKEN_SCOPE_INSUFFICIENT", domain="googleapis.com",
                        metadata={"service": service, "method": method})
