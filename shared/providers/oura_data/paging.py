"""Our page tokens for the Oura streams (opaque to the engine).

A window is read with one request and Oura's `next_token` followed until it is null. When Oura
refuses a range as too large (HTTP 400; providers/oura-api-v2.md 3.1 reports failures above 30
days), the window is read again in chunks, and the token also says where the current chunk starts:
    {"v": 1, "lo": "<RFC 3339>", "days": 30, "nt": "<Oura next_token>"}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from shared.errors import JobError
from shared.mappers.oura_values import UTC, instant


@dataclass(frozen=True)
class Continuation:
    """Where the next request of a window starts."""

    lower: datetime | None = None
    chunk_days: int | None = None
    provider_token: str | None = None


FIRST = Continuation()


def encode(continuation: Continuation | None) -> str | None:
    """Return the engine-facing token of a continuation (None: the window is done)."""
    if continuation is None:
        return None
    data: dict[str, object] = {"v": 1}
    if continuation.lower is not None:
        data["lo"] = continuation.lower.astimezone(UTC).isoformat()
    if continuation.chunk_days is not None:
        data["days"] = continuation.chunk_days
    if continuation.provider_token:
        data["nt"] = continuation.provider_token
    return json.dumps(data, separators=(",", ":"))


def decode(token: str | None) -> Continuation:
    """Return the continuation of an engine-facing token (None: the window's first page).

    Raises:
        JobError: the token is not one of ours.
    """
    if not token:
        return FIRST
    try:
        data = json.loads(token)
    except ValueError:
        raise JobError("oura page token is not JSON") from None
    if not isinstance(data, dict) or data.get("v") != 1:
        raise JobError("oura page token has an unknown version")
    lower = None
    if "lo" in data:
        lower = instant(data["lo"])
        if lower is None:
            raise JobError("oura page token has a malformed 'lo'")
    days = data.get("days")
    if days is not None and (type(days) is not int or days < 1):
        raise JobError("oura page token has a malformed 'days'")
    provider = data.get("nt")
    return Continuation(lower, days, provider if isinstance(provider, str) and provider else None)
