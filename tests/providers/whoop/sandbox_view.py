"""The WHOOP imitation seen from a test: OAuth tokens through the consent flow, knobs, raw calls, stream contexts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
import requests

from devtools.sandbox import SandboxServer
from devtools.sandbox.providers.whoop.knobs import WhoopState, whoop_state
from shared.sync.streams import StreamContext
from tests.sandbox.flows import API_BASE, WHOOP_SCOPE, whoop_tokens
from tests.providers.api import BearerApi, bearer, fresh, stream_context

NOW = "2026-10-01T00:00:00+00:00"
NOW_TIME = datetime(2026, 10, 1, tzinfo=timezone.utc)


class Whoop:
    """The running sandbox seen from a test."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.state = server.state
        self.base = f"{server.url}/whoop/developer"

    def tokens(self, user: str = "alice", scope: str = WHOOP_SCOPE) -> dict[str, str]:
        """Connect `user` through the WHOOP OAuth flow and return the token answer."""
        return whoop_tokens(self.server.url, user, scope)

    def configure(self, **knobs: Any) -> None:
        """Change the data imitation's knobs."""
        whoop_state(self.state.extras).configure(**knobs)

    @property
    def data_state(self) -> WhoopState:
        """Return the imitation's state (budget counters)."""
        return whoop_state(self.state.extras)

    def get(self, token: str | None, path: str, **params: Any) -> requests.Response:
        """GET `<base>/<path>`."""
        return requests.get(f"{self.base}/{path}", params=params, headers=bearer(token), timeout=60)

    def context(self, user: str = "alice", scope: str = WHOOP_SCOPE) -> tuple[StreamContext, BearerApi]:
        """Return a stream context over a fresh token of `user`, and its API (for call counts)."""
        return stream_context(self.tokens(user, scope)["access_token"], self.base, user, "whoop", provider="whoop")


@pytest.fixture(scope="module")
def whoop_server() -> Iterator[SandboxServer]:
    """Start a sandbox of its own on a free port, with the redirect URIs of tests.sandbox.flows."""
    server = SandboxServer(port=0, api_base=API_BASE)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def whoop(whoop_server: SandboxServer) -> Whoop:
    """Return the sandbox with fresh state and the WHOOP data ending at NOW."""
    return fresh(Whoop(whoop_server), NOW)
