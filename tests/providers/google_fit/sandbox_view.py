"""The Google Fit imitation seen from a test: OAuth tokens from the Fit client, knobs, raw calls, stream contexts.

Tokens come from the sandbox's Google OAuth flow with the Google Fit client (consent page, code,
PKCE exchange), as the app obtains them. Imported by the other `test_google_fit_*` modules.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
import requests

from devtools.sandbox import SandboxServer
from devtools.sandbox.providers.google_fit.knobs import fit_state
from shared.providers.google_fit.provider import SCOPES
from shared.sync.streams import StreamContext
from tests.providers.api import BearerApi, bearer, fresh, stream_context
from tests.sandbox.flows import GOOGLE_FIT, google_tokens

NOW = "2026-10-01T00:00:00Z"
NOW_TIME = datetime(2026, 10, 1, tzinfo=timezone.utc)
NOW_MS = 1_790_812_800_000
DAY_MS = 86_400_000
FIT = "https://www.googleapis.com/auth/fitness."
ALL_READ = SCOPES  # what the app asks for: openid and every Fit read scope it uses


class Fit:
    """The running sandbox with the Fit data imitation."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.state = server.state
        self.root = f"{server.url}/googlefit"
        self.base = f"{self.root}/fitness/v1/users/me"

    def token(self, user: str = "alice", scopes: tuple[str, ...] = ALL_READ) -> str:
        """Connect `user` through the consent page with the Fit client; return the access token."""
        return google_tokens(self.server.url, user, GOOGLE_FIT, scope=" ".join(scopes))["access_token"]

    def configure(self, **knobs: Any) -> None:
        """Change the Fit imitation's knobs."""
        fit_state(self.state.extras).configure(**knobs)

    def get(self, token: str | None, path: str, **params: Any) -> requests.Response:
        """GET `<base>/<path>` with a bearer token."""
        return requests.get(f"{self.base}/{path}", params=params, headers=bearer(token), timeout=30)

    def aggregate(self, token: str, body: Any) -> requests.Response:
        """POST `dataset:aggregate`."""
        return requests.post(f"{self.base}/dataset:aggregate", json=body, headers={"Authorization": f"Bearer {token}"},
                             timeout=30)

    def context(self, user: str = "alice", scopes: tuple[str, ...] = ALL_READ, *,
                timeout: float = 30.0) -> tuple[StreamContext, BearerApi]:
        """Return a stream context over a fresh token of `user`, and its API (for call counts)."""
        return stream_context(self.token(user, scopes), self.root, user, "google-fit", provider="google_fit",
                              timeout=timeout)


@pytest.fixture
def fit(sandbox_server: SandboxServer) -> Fit:
    """Return the sandbox with fresh state and the Fit data ending at NOW."""
    return fresh(Fit(sandbox_server), NOW)


def body(types: list[str], start_ms: int, end_ms: int, bucket_ms: int = DAY_MS) -> dict[str, Any]:
    """Return an aggregate request by type names with fixed buckets."""
    return {"startTimeMillis": start_ms, "endTimeMillis": end_ms,
            "aggregateBy": [{"dataTypeName": name} for name in types], "bucketByTime": {"durationMillis": bucket_ms}}


def error_reason(response: requests.Response) -> str:
    """Return the legacy `errors[0].reason` of a Fit error body."""
    return response.json()["error"]["errors"][0]["reason"]
