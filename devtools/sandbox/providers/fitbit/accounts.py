"""The sandbox users' Google Health accounts (the ids `users/me/identity` answers): demo ones fixed, others derived."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from devtools.sandbox.users import name_number, valid_user_name, wearer_seed


@dataclass(frozen=True)
class HealthAccount:
    """A Google account's Google Health profile: its ids, or none (`linked` False)."""

    health_user_id: str
    legacy_user_id: str
    google_health_linked: bool


ACCOUNTS = {
    "alice": HealthAccount("2515055256096816351", "9ABCDE", True),
    "bob": HealthAccount("2515055256096816352", "9BCDEF", True),
    "carol": HealthAccount("2515055256096816353", "9CDEFG", True),
    # A Google account without a Google Health profile: every Google Health API call, the
    # identity call included, answers 400 FAILED_PRECONDITION / ACCOUNT_NOT_LINKED.
    "dave": HealthAccount("2515055256096816354", "9DEFGH", False),
}


_LEGACY_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _legacy_id(user: str) -> str:
    number = name_number(user, "fitbit-legacy", 12)
    letters = "".join(_LEGACY_ALPHABET[number // 36**i % 36] for i in range(5))
    return "8" + letters  # demo ids start with 9: never equal


def account_of(user: str) -> HealthAccount | None:
    """Return a sandbox user's Google Health account (linked, for any valid name), or None for an invalid name."""
    found = ACCOUNTS.get(user)
    if found is not None or not valid_user_name(user):
        return found
    return HealthAccount(health_user_id(user, wearer_seed(user)), _legacy_id(user), True)


def health_user_id(user: str, seed: int) -> str:
    """Return the user's Google Health id (an unknown name gets one derived from its wearer seed)."""
    account = ACCOUNTS.get(user)
    return account.health_user_id if account else str(seed % 10**19)


def account_fields(user: str) -> Mapping[str, Any]:
    """Return the account ids listed for a sandbox user under `/_sandbox/users`."""
    account = account_of(user)
    return asdict(account) if account else {}
