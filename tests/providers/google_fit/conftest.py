"""This provider's sandbox tests share one sandbox on a free port, with the sandbox's default API base."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devtools.sandbox import SandboxServer


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    """One sandbox for this folder's tests (state is reset per test)."""
    server = SandboxServer(port=0)
    server.start()
    yield server
    server.stop()
