"""Withings' answer envelope `{"status", "body", "error"}`: errors arrive as HTTP 200 with a non-zero status.

Reference: docs/providers/withings.md 1 (envelope), 5 (status families), 6 (rate limit).
Withings publishes families of status codes, not exact meanings; each family is mapped to the HTTP
status the error table already knows, so every Withings error is classified by that one table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.http.errors import EnvelopeQuirk, ErrorDetails

AUTH_FAILED = frozenset({100, 101, 102, 200, 401, 342, 343})
NOT_ALLOWED = frozenset({214, 277, 403, 2553, 2554, 2555})
RATE_LIMITED = 601
TRANSIENT = frozenset({215, 219, 222, 522, 524, 602, 700, 1051, 1052, 1053, 1054, 2551, 2552})
RATE_LIMIT_PAUSE_SECONDS = 60.0  # no Retry-After is documented (6)


def status_of(body: Any) -> int | None:
    """Return the envelope's integer `status`, or None when the answer is no envelope."""
    status = body.get("status") if isinstance(body, Mapping) else None
    return status if type(status) is int else None


def http_status(status: int) -> int | None:
    """Return the HTTP status a Withings status stands for (None: success)."""
    if status == 0:
        return None
    if status in AUTH_FAILED:
        return 401
    if status == RATE_LIMITED:
        return 429
    if status in NOT_ALLOWED:
        return 403
    if status in TRANSIENT:
        return 503
    return 400


def _details(http: int, body: Any) -> ErrorDetails:
    """Read an answer: a 2xx envelope with a non-zero status is the error that status stands for."""
    status = status_of(body)
    if status is None:
        if 200 <= http < 300:
            return ErrorDetails(status=502, message="the answer is not a Withings envelope")
        return ErrorDetails()
    mapped = http_status(status)
    if mapped is None:
        return ErrorDetails()
    return ErrorDetails(status=mapped, message=f"status {status}",
                        retry_after=RATE_LIMIT_PAUSE_SECONDS if status == RATE_LIMITED else None)


ERRORS = EnvelopeQuirk(_details)


def payload(body: Any) -> Mapping[str, Any]:
    """Return the `body` object of a successful envelope (an empty one when absent)."""
    inner = body.get("body") if isinstance(body, Mapping) else None
    return inner if isinstance(inner, Mapping) else {}


def token_answer(answer: Any) -> Any:
    """Rewrite a `requesttoken` envelope into an RFC 6749 token answer or error.

    Success: the inner body, with the comma-separated `scope` space-separated and `userid` as the
    string `user_id`. Errors: the auth and invalid-params families mean the code or refresh token is
    refused (`invalid_grant`); rate limiting and the error families are `temporarily_unavailable`.
    """
    status = status_of(answer)
    if status is None:
        return answer
    if status != 0:
        mapped = http_status(status)
        if mapped in (429, 503):
            return {"error": "temporarily_unavailable"}
        if mapped == 403:
            return {"error": "unauthorized_client"}
        return {"error": "invalid_grant"}
    inner = dict(payload(answer))
    scope = inner.get("scope")
    if isinstance(scope, str):
        inner["scope"] = " ".join(part for part in scope.replace(",", " ").split())
    userid = inner.pop("userid", None)
    if type(userid) is int or (isinstance(userid, str) and userid):
        inner["user_id"] = str(userid)
    return inner
