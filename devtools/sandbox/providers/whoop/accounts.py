"""The sandbox users' WHOOP member ids (`user_id` of the basic profile: int64): demo ones fixed, others derived."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from devtools.sandbox.users import name_number, valid_user_name

WHOOP_USER_IDS = {"alice": 28417701, "bob": 28417702, "carol": 28417703, "dave": 28417704}


def whoop_user_id(user: str) -> int | None:
    """Return a sandbox user's WHOOP id (derived for a valid name that is not a demo user's), or None."""
    found = WHOOP_USER_IDS.get(user)
    if found is not None or not valid_user_name(user):
        return found
    return 30_000_000 + name_number(user, "whoop-id", 12) % 9_000_000_000


def account_fields(user: str) -> Mapping[str, Any]:
    """Return the account id listed for a sandbox user under `/_sandbox/users`."""
    found = whoop_user_id(user)
    return {"whoop_user_id": found} if found else {}
