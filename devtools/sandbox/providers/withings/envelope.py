"""Withings' answers: `{"status": 0, "body": ...}`, and errors as HTTP 200 with a non-zero status.

Reference: docs/providers/withings.md 1, 5. Status 401 is a bad token, 601 too many requests,
503 invalid parameters, 2555 an unknown error; `fault_body` keeps the HTTP status of a generic
fault (5xx, 429) for the resilience tests.
"""

from __future__ import annotations

import json
from typing import Any

from devtools.sandbox.web import Response, json_response

INVALID_TOKEN = 401
INVALID_PARAMS = 503
NOT_ALLOWED = 403
TOO_MANY_REQUESTS = 601


def ok(body: Any) -> Response:
    """Answer a success envelope."""
    return Response(200, json.dumps({"status": 0, "body": body}, separators=(",", ":")).encode("utf-8"),
                    (("Cache-Control", "no-store"),))


def error(status: int, text: str) -> Response:
    """Answer an error envelope with HTTP 200."""
    return json_response(200, {"status": status, "body": {}, "error": text})


def fault_body(status: int) -> Response:
    """Return the body of a generic HTTP fault of a Withings route (the edge's own answer)."""
    return json_response(status, {"status": status, "body": {}, "error": "Sandbox fault"})
