"""Our page tokens for the WHOOP streams (opaque to the engine): `{"v": 1, "nt": "<WHOOP next_token>"}`.

A window is read with one request per page; WHOOP's `next_token` is sent back as `nextToken`
with the same `start` and `end` (docs/providers/whoop.md 3.1).
"""

from __future__ import annotations

from shared.providers import page_tokens

_OWNER = "whoop"


def encode(provider_token: str | None) -> str | None:
    """Return the engine-facing token of WHOOP's next token (None: the window is done)."""
    return None if not provider_token else page_tokens.dump({"nt": provider_token})


def decode(token: str | None) -> str | None:
    """Return WHOOP's next token from an engine-facing token (None: the window's first page).

    Raises:
        JobError: the token is not one of ours.
    """
    if not token:
        return None
    return page_tokens.text(page_tokens.load(token, _OWNER), "nt")
