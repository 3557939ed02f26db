"""Google API front-end behaviour shared by the Google Health and Google Fit imitations.

Error envelopes (AIP-193, providers/google-health-api.md 5.1 and 5.3; google-fit-rest.md 5.1), the
bearer check, scope check and account-state check, in the order the reference gives (9.2).
Data endpoint modules call `require_health_token` / `require_fit_token` first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from devtools.sandbox.grants import TokenInfo
from devtools.sandbox.scopes import CLOUD_PLATFORM
from devtools.sandbox.users import find_user
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


def _authenticate(req: Request) -> TokenInfo | Response:
    token = req.bearer()
    if token is None:
        return google_error(401, UNAUTHENTICATED_MESSAGE, reason="CREDENTIALS_MISSING", domain="googleapis.com",
                            headers={"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'})
    info = req.state.grants.lookup_access_token(token)
    if info is None or info.grant.provider != "google":
        return google_error(401, UNAUTHENTICATED_MESSAGE, headers={"WWW-Authenticate": WWW_AUTHENTICATE})
    return info


def _insufficient(req: Request, service: str, method: str) -> Response:
    return google_error(403, "Request had insufficient authentication scopes.",
                        reason="ACCESS_TOKEN_SCOPE_INSUFFICIENT", domain="googleapis.com",
                        metadata={"service": service, "method": method})


def require_health_token(req: Request, accepted_scopes: Iterable[str], method: str) -> TokenInfo | Response:
    """Check a Google Health API call: token, scopes, account state.

    Args:
        req: the request.
        accepted_scopes: scopes of which the token needs at least one.
        method: RPC method name for error metadata, e.g. `google.devicesandservices.health.v4.Users.GetIdentity`.

    Returns:
        The token's info, or the error response to send.
    """
    info = _authenticate(req)
    if isinstance(info, Response):
        return info
    scopes = set(info.grant.scopes)
    if CLOUD_PLATFORM in scopes:
        return google_error(403, "The caller's OAuth token carries scopes this API does not allow.",
                            reason="DISALLOWED_OAUTH_SCOPES", metadata={"disallowed_scopes": "cloud_platform"})
    if not scopes & set(accepted_scopes):
        return _insufficient(req, HEALTH_DOMAIN, method)
    user = find_user(info.grant.user)
    if user is not None and not user.google_health_linked:
        return google_error(400, "The account is not linked to Google Health.", status_name="FAILED_PRECONDITION",
                            reason="ACCOUNT_NOT_LINKED",
                            metadata={"redirect_uri": "https://fitbit.google.com/auth/signup"})
    return info


def fit_error(status: int, message: str, reason: str, *, headers: dict[str, str] | None = None) -> Response:
    """Answer with the Google Fit error envelope (with the legacy `errors` list)."""
    body = {"error": {"code": status, "message": message,
                      "errors": [{"message": message, "domain": "global", "reason": reason}],
                      "status": STATUS_NAMES.get(status, "UNKNOWN")}}
    return json_response(status, body, headers)


def require_fit_token(req: Request, accepted_scopes: Iterable[str]) -> TokenInfo | Response:
    """Check a Google Fit call: a live Google token holding one of `accepted_scopes`."""
    token = req.bearer()
    info = req.state.grants.lookup_access_token(token) if token else None
    if info is None or info.grant.provider != "google":
        return fit_error(401, "Request is missing required authentication credential." if token is None
                         else "Invalid Credentials", "authError" if token else "required",
                         headers={"WWW-Authenticate": WWW_AUTHENTICATE})
    if not set(info.grant.scopes) & set(accepted_scopes):
        return fit_error(403, "Request had insufficient authentication scopes.", "insufficientPermissions")
    return info
