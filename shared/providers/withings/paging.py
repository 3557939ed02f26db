"""Withings paging: `more` and `offset`, and our page tokens carrying the offset.

Reference: docs/providers/withings.md 3.1. A truncated answer says `more` (an integer for
`getmeas`, a boolean elsewhere) with the `offset` to send next, with the same range parameters;
both may be absent on the last or only page. An offset that does not advance ends the range.
Our token: {"v": 1, "off": <offset>}.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from shared.errors import JobError
from shared.providers import page_tokens

_OWNER = "withings"
log = logging.getLogger(__name__)


def next_offset(body: Mapping[str, Any], sent: int) -> int | None:
    """Return the offset of the next page, or None when this page was the last."""
    more = body.get("more")
    if not (more is True or (type(more) is int and more != 0)):
        return None
    offset = body.get("offset")
    if type(offset) is not int or offset <= sent:
        log.warning("withings said there is more but sent no advancing offset; the range ends here")
        return None
    return offset


def encode(offset: int | None) -> str | None:
    """Return the engine-facing token of an offset (None: the window is done)."""
    return None if offset is None else page_tokens.dump({"off": offset})


def decode(token: str | None) -> int:
    """Return the offset of an engine-facing token (0: the window's first page).

    Raises:
        JobError: the token is not one of ours.
    """
    if not token:
        return 0
    offset = page_tokens.load(token, _OWNER).get("off")
    if type(offset) is not int or offset < 1:
        raise JobError("withings page token has a malformed 'off'")
    return offset
