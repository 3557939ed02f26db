"""Google Fit's error envelope (with the legacy `errors` list) and its check of a call's token and scopes."""

from __future__ import annotations

from collections.abc import Iterable

from devtools.sandbox.google.api import STATUS_NAMES, WWW_AUTHENTICATE
from devtools.sandbox.google.tokens import SERVER
from devtools.sandbox.oauth.grants import TokenInfo
from devtools.sandbox.web import Request, Response, json_response


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
    if info is None or info.grant.provider != SERVER:
        return fit_error(401, "Request is missing required authentication credential." if token is None
                         else "Invalid Credentials", "authError" if token else "required",
                         headers={"WWW-Authenticate": WWW_AUTHENTICATE})
    if not set(info.grant.scopes) & set(accepted_scopes):
        return fit_error(403, "Request had insufficient authentication scopes.", "insufficientPermissions")
    return info
