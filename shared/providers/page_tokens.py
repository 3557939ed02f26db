"""Our page tokens: small versioned JSON objects handed to the engine, opaque to it.

Each provider module chooses its members (and their meaning); this module writes and reads the
envelope `{"v": 1, ...}` and checks the members every provider's tokens share the shape of.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from shared.errors import JobError

VERSION = 1


def dump(members: dict[str, object]) -> str:
    """Return the token carrying the members that are set (None, False and "" are left out; the version first)."""
    kept = {key: value for key, value in members.items() if not (value is None or value is False or value == "")}
    return json.dumps({"v": VERSION, **kept}, separators=(",", ":"))


def load(token: str, owner: str) -> dict[str, Any]:
    """Return the members of a token.

    Args:
        token: a token from `dump`.
        owner: the provider named in error messages.

    Raises:
        JobError: the token is not JSON or has an unknown version.
    """
    try:
        data = json.loads(token)
    except ValueError:
        raise JobError(f"{owner} page token is not JSON") from None
    if not isinstance(data, dict) or data.get("v") != VERSION:
        raise JobError(f"{owner} page token has an unknown version")
    return data


def text(data: dict[str, Any], key: str) -> str | None:
    """Return a member that is a non-empty string, else None."""
    value = data.get(key)
    return value if isinstance(value, str) and value else None


def time(data: dict[str, Any], key: str, parse: Callable[[Any], datetime | None], owner: str) -> datetime | None:
    """Return a time member read with `parse` (None: absent).

    Raises:
        JobError: the member is present but `parse` refuses it.
    """
    if key not in data:
        return None
    parsed = parse(data[key])
    if parsed is None:
        raise JobError(f"{owner} page token has a malformed {key!r}")
    return parsed
