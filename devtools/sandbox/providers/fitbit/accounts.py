"""The demo users' Google Health accounts (the ids `users/me/identity` answers)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any


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


def account_of(user: str) -> HealthAccount | None:
    """Return a demo user's Google Health account, or None for an unknown name."""
    return ACCOUNTS.get(user)


def health_user_id(user: str, seed: int) -> str:
    """Return the user's Google Health id (an unknown name gets one derived from its wearer seed)."""
    account = ACCOUNTS.get(user)
    return account.health_user_id if account else str(seed % 10**19)


def account_fields(user: str) -> Mapping[str, Any]:
    """Return the account ids listed for a demo user under `/_sandbox/users`."""
    account = ACCOUNTS.get(user)
    return asdict(account) if account else {}
