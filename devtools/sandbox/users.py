"""The sandbox's deterministic demo users (their account ids at each provider live with the provider)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoUser:
    """One demo person: a Personicle user with a Google account and a body the wearer model draws on."""

    name: str
    display_name: str
    email: str
    google_sub: str
    age: int
    weight_kg: float
    height_m: float
    biological_sex: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("alice", "Alice Example", "alice@example.com", "104528831027446185501", 34, 61.5, 1.68, "female"),
    DemoUser("bob", "Bob Example", "bob@example.com", "104528831027446185502", 42, 90.2, 1.8, "male"),
    DemoUser("carol", "Carol Example", "carol@example.com", "104528831027446185503", 29, 55.0, 1.62, "female"),
    DemoUser("dave", "Dave Unlinked", "dave@example.com", "104528831027446185504", 51, 78.0, 1.75, "male"),
)


def find_user(name: str) -> DemoUser | None:
    """Return the demo user called `name`, or None."""
    return next((user for user in DEMO_USERS if user.name == name), None)
