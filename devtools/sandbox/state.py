"""Everything the sandbox remembers, shared by all routes and reachable from in-process tests."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from devtools.sandbox.call_log import CallLog
from devtools.sandbox.faults import Counters, FaultBook
from devtools.sandbox.oauth.clients import ClientRegistry, OAuthClient
from devtools.sandbox.oauth.grants import GrantStore
from devtools.sandbox.oauth.knobs import Knobs, OAuthKnobs
from devtools.sandbox.oidc.issuer import OidcIssuer

if TYPE_CHECKING:
    from devtools.sandbox.providers.base import SandboxProvider


class SandboxState:
    """The sandbox's shared state: providers, clients, scopes, grants, knobs, faults, counters, calls, issuer."""

    def __init__(self, *, base_url: str, api_base: str, clients: list[OAuthClient], issuer: OidcIssuer,
                 providers: Iterable[SandboxProvider] = ()) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_base = api_base.rstrip("/")
        self.providers: tuple[SandboxProvider, ...] = tuple(providers)
        self.clients = ClientRegistry(clients)
        self.grants = GrantStore()
        self.faults = FaultBook()
        self.counters = Counters()
        self.calls = CallLog()
        self.oidc = issuer
        self.stopping = threading.Event()
        self._scopes: dict[str, dict[str, str]] = {}
        for provider in self.providers:
            known = self._scopes.setdefault(provider.server.name, dict(provider.server.scopes))
            known.update(provider.scopes)
        servers = {provider.server.name: provider.server for provider in self.providers}
        self._initial_knobs = Knobs((OAuthKnobs(), *(server.knobs for server in servers.values())))
        self._knobs_lock = threading.Lock()
        self._knobs = self._initial_knobs
        # Free space for route modules (e.g. a provider's data knobs), keyed by module; cleared by reset().
        self.extras: dict[str, Any] = {}

    def scopes(self, server: str) -> dict[str, str]:
        """Return the scopes (with consent-page labels) an authorization server knows."""
        return self._scopes.get(server, {})

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
        """Forget grants, faults, counters, calls, knob changes and run-time client changes (keep the key)."""
        self.grants.reset()
        self.faults.clear()
        self.counters.clear()
        self.calls.clear()
        self.clients.reset()
        self.extras.clear()
        with self._knobs_lock:
            self._knobs = self._initial_knobs

    def sleep(self, seconds: float) -> None:
        """Wait `seconds`, returning early when the server stops."""
        self.stopping.wait(seconds)
