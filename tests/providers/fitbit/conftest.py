"""A sandbox on a free port for the Google Health data tests, with helpers to mint tokens and call it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
import requests

from devtools.sandbox import SandboxServer
from devtools.sandbox.google.tokens import google_access_token
from devtools.sandbox.providers.fitbit.knobs import health_state
from shared.sync.streams import StreamContext
from tests.providers.api import BearerApi

NOW = "2026-10-01T00:00:00Z"
NOW_TIME = datetime(2026, 10, 1, tzinfo=timezone.utc)
SCOPE = "https://www.googleapis.com/auth/googlehealth."
READ_SCOPES = (SCOPE + "activity_and_fitness.readonly", SCOPE + "health_metrics_and_measurements.readonly",
               SCOPE + "sleep.readonly")
CLIENT_ID = "sandbox-fitbit-client"


class Health:
    """The running sandbox seen from a test: tokens, knobs, raw calls, stream contexts."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.state = server.state
        self.base = f"{server.url}/googlehealth"

    def token(self, user: str = "alice", scopes: tuple[str, ...] = READ_SCOPES) -> str:
        """Return a live access token of a new grant (as the token endpoint would issue)."""
        grant = self.state.grants.create_grant("google", CLIENT_ID, user, scopes)
        return self.state.grants.issue_access_token(grant, google_access_token(), 3600)

    def configure(self, **knobs: Any) -> None:
        """Change the data imitation's knobs."""
        health_state(self.state.extras).configure(**knobs)

    def url(self, data_type: str, method: str = "", user: str = "me") -> str:
        """Return a data points URL."""
        return f"{self.base}/v4/users/{user}/dataTypes/{data_type}/dataPoints" + (f":{method}" if method else "")

    def get(self, token: str | None, data_type: str, method: str = "", **params: Any) -> requests.Response:
        """GET list or reconcile."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.get(self.url(data_type, method), params=params, headers=headers, timeout=30)

    def post(self, token: str, data_type: str, method: str, body: Any) -> requests.Response:
        """POST rollUp or dailyRollUp."""
        return requests.post(self.url(data_type, method), json=body, headers={"Authorization": f"Bearer {token}"},
                             timeout=30)

    def context(self, user: str = "alice", *, timeout: float = 30.0) -> tuple[StreamContext, BearerApi]:
        """Return a stream context over a fresh token of `user`, and its API (for call counts)."""
        api = BearerApi(self.token(user), timeout=timeout)
        return StreamContext(api, self.base, f"personicle-{user}", "fitbit"), api


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    """One sandbox for the whole run (state is reset per test)."""
    server = SandboxServer(port=0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def health(sandbox_server: SandboxServer) -> Health:
    """Return the sandbox with fresh state and the data ending at NOW."""
    sandbox_server.state.reset()
    helper = Health(sandbox_server)
    helper.configure(now=NOW)
    return helper


def reason(response: requests.Response) -> str | None:
    """Return the ErrorInfo reason of a Google error body (None without details)."""
    details = response.json()["error"].get("details") or [{}]
    return details[0].get("reason")
