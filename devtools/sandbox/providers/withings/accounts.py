"""The demo users' Withings user ids (the `userid` of the token answer)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

WITHINGS_USER_IDS = {"alice": 38191920, "bob": 38191921, "carol": 38191922, "dave": 38191923}


def user_id(user: str) -> int:
    """Return a demo user's Withings id (unknown names get one derived from the name)."""
    return WITHINGS_USER_IDS.get(user, 39000000 + sum(user.encode()) % 1000000)


def user_of(userid: str | None) -> str | None:
    """Return the demo user of a Withings id, or None."""
    return next((name for name, number in WITHINGS_USER_IDS.items() if str(number) == userid), None)


def account_fields(user: str) -> Mapping[str, Any]:
    """Return the account id listed for a demo user under `/_sandbox/users`."""
    found = WITHINGS_USER_IDS.get(user)
    return {"withings_user_id": found} if found else {}
