"""The demo users' Oura account ids (the `id` of personal_info)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OURA_USER_IDS = {
    "alice": "8b97e1b67-144-5e9a8c067-e62331-968-a",
    "bob": "8b97e1b67-144-5e9a8c067-e62331-968-b",
    "carol": "8b97e1b67-144-5e9a8c067-e62331-968-c",
    "dave": "8b97e1b67-144-5e9a8c067-e62331-968-d",
}


def account_fields(user: str) -> Mapping[str, Any]:
    """Return the account id listed for a demo user under `/_sandbox/users`."""
    found = OURA_USER_IDS.get(user)
    return {"oura_user_id": found} if found else {}
