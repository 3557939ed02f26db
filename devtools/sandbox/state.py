"""Everything the sandbox remembers, shared by all routes and reachable from in-process tests."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from devtools.sandbox.clients import ClientRegistry, OAuthClient
from devtools.sandbox.faults import Counters, FaultBook
from devtools.sandbox.grants import GrantStore
from devtools.sandbox.oidc import OidcIssuer


@dataclass(frozen=True)
class Knobs:
    """Behaviour switches for provider variants the references leave open."""

    code_ttl_seconds: float = 600.0  # codes are single use and short-lived (Google: minutes, Oura: ~10 min)
    google_access_token_seconds: int = 3599
    # Testing-status consent screen: responses carry refresh_token_expires_in 604799 (7 days).
    google_testing_mode: bool = False
    # Google normally keeps the refresh token on refresh; with this on it also returns a new one
    # (the old one stays valid).
    google_rotate_refresh_token: bool = False
    oura_access_token_seconds: int = 86400
    # Oura documents only token_type, access_token, expires_in, refresh_token; `scope` is an
    # occasionally observed extra.
    oura_token_includes_scope: bool = False

    def updated(self, changes: dict[str, Any]) -> Knobs:
        """Return a copy with `changes` applied.

        Raises:
            ValueError: unknown knob or a value of the wrong type.
        """
        known = {f.name: f for f in fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise ValueError(f"unknown knob {name!r}")
            current = getattr(self, name)
            if isinstance(current, bool) != isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"knob {name!r} expects a {type(current).__name__}")
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """Return the knobs as JSON."""
        return asdict(self)


class SandboxState:
    """The sandbox's shared state: clients, grants, knobs, faults, counters and the OIDC issuer."""

    def __init__(self, *, base_url: str, api_base: str, clients: list[OAuthClient], issuer: OidcIssuer) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_base = api_base.rstrip("/")
        self.clients = ClientRegistry(clients)
        self.grants = GrantStore()
        self.faults = FaultBook()
        self.counters = Counters()
        self.oidc = issuer
        self.stopping = threading.Event()
        self._knobs_lock = threading.Lock()
        self._knobs = Knobs()
        # Free space for endpoint modules added later (e.g. per-user data overrides), keyed by
        # module; cleared by reset().
        self.extras: dict[str, Any] = {}

    @property
    def knobs(self) -> Knobs:
        """Return the current knobs."""
        with self._knobs_lock:
            return self._knobs

    def set_knobs(self, **changes: Any) -> Knobs:
        """Change some knobs and return the result.

        Raises:
            ValueError: unknown knob or wrong value type.
        """
        with self._knobs_lock:
            self._knobs = self._knobs.updated(changes)
            return self._knobs

    def reset(self) -> None:
        """Forget grants, faults, counters, knob changes and run-time client changes (keep the key)."""
        self.grants.reset()
        self.faults.clear()
        self.counters.clear()
        self.clients.reset()
        self.extras.clear()
        with self._knobs_lock:
            self._knobs = Knobs()

    def sleep(self, seconds: float) -> None:
        """Wait `seconds`, returning early when the server stops."""
        self.stopping.wait(seconds)
