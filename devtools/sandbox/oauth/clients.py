"""OAuth client registrations the imitated authorization servers know."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace

DEFAULT_API_BASE = "http://127.0.0.1:7071/api"


@dataclass(frozen=True)
class OAuthClient:
    """One registered OAuth client (the credentials in local.settings.json)."""

    provider: str  # the imitated authorization server (AuthorizationServer.name)
    client_id: str
    client_secret: str
    label: str
    redirect_uris: tuple[str, ...]
    # Sandbox strictness beyond Google (which lets confidential web clients skip PKCE): the
    # app always sends an S256 challenge, so a missing one is refused.
    require_pkce_s256: bool = False


class ClientRegistry:
    """The registered clients; redirect URIs can be added at run time (tests on other ports)."""

    def __init__(self, clients: Iterable[OAuthClient]) -> None:
        self._lock = threading.Lock()
        self._initial = {client.client_id: client for client in clients}
        self._clients = dict(self._initial)

    def get(self, provider: str, client_id: str | None) -> OAuthClient | None:
        """Return the client of `provider` with this id, or None."""
        with self._lock:
            client = self._clients.get(client_id or "")
        return client if client is not None and client.provider == provider else None

    def all(self) -> list[OAuthClient]:
        """Return every registered client."""
        with self._lock:
            return list(self._clients.values())

    def add(self, client: OAuthClient) -> None:
        """Register (or replace) a client."""
        with self._lock:
            self._clients[client.client_id] = client

    def add_redirect_uri(self, client_id: str, redirect_uri: str) -> OAuthClient:
        """Register one more exact redirect URI for a client.

        Raises:
            KeyError: unknown client id.
        """
        with self._lock:
            client = self._clients[client_id]
            if redirect_uri not in client.redirect_uris:
                client = replace(client, redirect_uris=(*client.redirect_uris, redirect_uri))
                self._clients[client_id] = client
            return client

    def reset(self) -> None:
        """Return to the clients given at start."""
        with self._lock:
            self._clients = dict(self._initial)
