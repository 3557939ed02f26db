"""The sandbox users' Oura account ids (the `id` of personal_info): demo ones fixed, others derived."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from devtools.sandbox.users import name_digest, valid_user_name

OURA_USER_IDS = {
    "alice": "8b97e1b67-144-5e9a8c067-e62331-968-a",
    "bob": "8b97e1b67-144-5e9a8c067-e62331-968-b",
    "carol": "8b97e1b67-144-5e9a8c067-e62331-968-c",
    "dave": "8b97e1b67-144-5e9a8c067-e62331-968-d",
}


def oura_user_id(user: str) -> str | None:
    """Return a sandbox user's Oura id (derived for a valid name that is not a demo user's), or None."""
    found = OURA_USER_IDS.get(user)
    if found is not None or not valid_user_name(user):
        return found
    digits = name_digest(user, "oura-id").hex()
    return f"{digits[:9]}-{digits[9:12]}-{digits[12:21]}-{digits[21:27]}-{digits[27:30]}-{digits[30]}"


def account_fields(user: str) -> Mapping[str, Any]:
    """Return the account id listed for a sandbox user under `/_sandbox/users`."""
    found = oura_user_id(user)
    return {"oura_user_id": found} if found else {}
