"""Our page tokens for the Oura streams (opaque to the engine).

A window is read with one request and Oura's `next_token` followed until it is null. When Oura
refuses a range as too large (HTTP 400; docs/providers/oura.md 3.1 reports failures above 30
days), the window is read again in chunks, and the token also says where the current chunk starts:
    {"v": 1, "lo": "<RFC 3339>", "days": 30, "nt": "<Oura next_token>"}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.clock import UTC
from shared.errors import JobError
from shared.providers import page_tokens
from shared.providers.oura.map_values import instant

_OWNER = "oura"


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
    lower = continuation.lower
    return page_tokens.dump({"lo": lower.astimezone(UTC).isoformat() if lower else None,
                             "days": continuation.chunk_days, "nt": continuation.provider_token})


def decode(token: str | None) -> Continuation:
    """Return the continuation of an engine-facing token (None: the window's first page).

    Raises:
        JobError: the token is not one of ours.
    """
    if not token:
        return FIRST
    data = page_tokens.load(token, _OWNER)
    lower = page_tokens.time(data, "lo", instant, _OWNER)
    days = data.get("days")
    if days is not None and (type(days) is not int or days < 1):
        raise JobError("oura page token has a malformed 'days'")
    return Continuation(lower, days, page_tokens.text(data, "nt"))
