"""The sandbox users' Withings user ids (the `userid` of the token answer): demo ones fixed, others derived."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from devtools.sandbox.users import name_number

WITHINGS_USER_IDS = {"alice": 38191920, "bob": 38191921, "carol": 38191922, "dave": 38191923}


def user_id(user: str) -> int:
    """Return a sandbox user's Withings id (other names get one derived from the name)."""
    return WITHINGS_USER_IDS.get(user, 40_000_000 + name_number(user, "withings-id", 12) % 900_000_000)


def user_of(userid: str | None, candidates: Iterable[str] = ()) -> str | None:
    """Return the user of a Withings id among the demo users and `candidates` (e.g. users holding grants)."""
    names = (*WITHINGS_USER_IDS, *candidates)
    return next((name for name in names if str(user_id(name)) == userid), None)


def account_fields(user: str) -> Mapping[str, Any]:
    """Return the account id listed for a sandbox user under `/_sandbox/users`."""
    return {"withings_user_id": user_id(user)}
