"""The sandbox's users: the four demo users, and a deterministic synthetic person for any other valid name.

Their account ids at each provider live with the provider. A synthetic person (any name matching
`USER_NAME`, e.g. `user042`) gets a display name, `<name>@example.com`, a Google `sub` derived from
the name and body figures derived from the same seed the wearer model draws on, so the same name is
always the same person and two names are two people.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

USER_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class DemoUser:
    """One sandbox person: a Personicle user with a Google account and a body the wearer model draws on."""

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


def valid_user_name(name: object) -> bool:
    """Tell whether `name` may name a sandbox user (lower-case letters, digits, `_.-`; at most 64)."""
    return isinstance(name, str) and USER_NAME.match(name) is not None


def wearer_seed(name: str) -> int:
    """Return the 64-bit seed of a person's synthetic data and figures."""
    return int.from_bytes(hashlib.sha256(f"personicle-sandbox:{name}".encode()).digest()[:8], "big")


def name_digest(name: str, purpose: str) -> bytes:
    """Return 32 bytes derived from a name for one purpose (an account id, ...)."""
    return hashlib.sha256(f"personicle-sandbox:{purpose}:{name}".encode()).digest()


def name_number(name: str, purpose: str, digits: int) -> int:
    """Return a number of at most `digits` digits derived from a name for one purpose."""
    return int.from_bytes(name_digest(name, purpose)[:16], "big") % 10**digits


@functools.lru_cache(maxsize=4096)
def synthetic_user(name: str) -> DemoUser:
    """Return the synthetic person called `name` (a valid name that is not a demo user's).

    Raises:
        ValueError: `name` does not match `USER_NAME`.
    """
    if not valid_user_name(name):
        raise ValueError("a sandbox user name is 1-64 of a-z, 0-9, '_', '.', '-', starting with a letter or digit")
    seed = wearer_seed(name)
    female = seed % 2 == 0
    return DemoUser(
        name=name,
        display_name=f"{name[0].upper()}{name[1:]} Synthetic",
        email=f"{name}@example.com",
        google_sub=f"11{name_number(name, 'google-sub', 19):019d}",
        age=20 + (seed >> 8) % 50,
        weight_kg=round((52.0 if female else 62.0) + ((seed >> 16) % 400) / 10, 1),
        height_m=round((1.55 if female else 1.65) + ((seed >> 32) % 30) / 100, 2),
        biological_sex="female" if female else "male",
    )


def find_user(name: str) -> DemoUser | None:
    """Return the demo user called `name`, the synthetic person for another valid name, or None."""
    demo = next((user for user in DEMO_USERS if user.name == name), None)
    if demo is not None:
        return demo
    return synthetic_user(name) if valid_user_name(name) else None
