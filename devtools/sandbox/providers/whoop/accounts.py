"""The demo users' WHOOP member ids (`user_id` of the basic profile: int64)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

WHOOP_USER_IDS = {"alice": 28417701, "bob": 28417702, "carol": 28417703, "dave": 28417704}


def account_fields(user: str) -> Mapping[str, Any]:
    """Return the account id listed for a demo user under `/_sandbox/users`."""
    found = WHOOP_USER_IDS.get(user)
    return {"whoop_user_id": found} if found else {}
