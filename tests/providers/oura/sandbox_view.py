"""The Oura data imitation seen from a test: OAuth tokens, knobs, raw calls, stream contexts.

Tokens come from the sandbox's Oura OAuth flow (consent page, code exchange), as the app gets them.
Imported by the other `test_oura_*` modules of this folder.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
import requests

from devtools.sandbox import SandboxServer
from devtools.sandbox.providers.oura.knobs import oura_state
from shared.sync.streams import StreamContext
from tests.providers.api import BearerApi, bearer, fresh, stream_context
from tests.sandbox.flows import oura_tokens

NOW = "2026-10-01T00:00:00+00:00"
NOW_TIME = datetime(2026, 10, 1, tzinfo=timezone.utc)
ALL_SCOPES = "daily heartrate workout session spo2 stress heart_health personal"


class Oura:
    """The running sandbox seen from a test: OAuth tokens, knobs, raw calls, stream contexts."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.state = server.state
        self.base = f"{server.url}/oura"

    def token(self, user: str = "alice", scope: str = ALL_SCOPES) -> str:
        """Connect `user` through the Oura OAuth flow and return the access token."""
        return oura_tokens(self.server.url, user, scope)["access_token"]

    def configure(self, **knobs: Any) -> None:
        """Change the data imitation's knobs."""
        oura_state(self.state.extras).configure(**knobs)

    def get(self, token: str | None, collection: str, **params: Any) -> requests.Response:
        """GET a collection."""
        return requests.get(f"{self.base}/v2/usercollection/{collection}", params=params, headers=bearer(token),
                            timeout=60)

    def context(self, user: str = "alice", scope: str = ALL_SCOPES) -> tuple[StreamContext, BearerApi]:
        """Return a stream context over a fresh token of `user`, and its API (for call counts)."""
        return stream_context(self.token(user, scope), self.base, user, "oura", provider="oura")


@pytest.fixture
def oura(sandbox_server: SandboxServer) -> Oura:
    """Return the sandbox with fresh state and the Oura data ending at NOW."""
    return fresh(Oura(sandbox_server), NOW)
