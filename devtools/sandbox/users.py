"""The sandbox's deterministic demo users and their provider account ids."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoUser:
    """One demo person: a Personicle user with a Google account and an Oura account."""

    name: str
    display_name: str
    email: str
    google_sub: str
    health_user_id: str
    legacy_user_id: str
    google_health_linked: bool
    oura_user_id: str
    age: int
    weight_kg: float
    height_m: float
    biological_sex: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("alice", "Alice Example", "alice@example.com", "104528831027446185501",
             "2515055256096816351", "9ABCDE", True,
             "8b97e1b67-144-5e9a8c067-e62331-968-a", 34, 61.5, 1.68, "female"),
    DemoUser("bob", "Bob Example", "bob@example.com", "104528831027446185502",
             "2515055256096816352", "9BCDEF", True,
             "8b97e1b67-144-5e9a8c067-e62331-968-b", 42, 90.2, 1.8, "male"),
    DemoUser("carol", "Carol Example", "carol@example.com", "104528831027446185503",
             "2515055256096816353", "9CDEFG", True,
             "8b97e1b67-144-5e9a8c067-e62331-968-c", 29, 55.0, 1.62, "female"),
    # A Google account without a Google Health (Fitbit) profile: every Google Health API call,
    # the identity call included, answers 400 FAILED_PRECONDITION / ACCOUNT_NOT_LINKED.
    DemoUser("dave", "Dave Unlinked", "dave@example.com", "104528831027446185504",
             "2515055256096816354", "9DEFGH", False,
             "8b97e1b67-144-5e9a8c067-e62331-968-d", 51, 78.0, 1.75, "male"),
)


def find_user(name: str) -> DemoUser | None:
    """Return the demo user called `name`, or None."""
    return next((user for user in DEMO_USERS if user.name == name), None)
