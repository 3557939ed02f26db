"""One in-process sandbox per test module on a free port, its state reset before each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devtools.sandbox import SandboxServer
from devtools.sandbox.state import SandboxState
from tests.sandbox.flows import API_BASE


@pytest.fixture(scope="module")
def sandbox_server() -> Iterator[SandboxServer]:
    """Start the sandbox once per module."""
    server = SandboxServer(port=0, api_base=API_BASE)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> SandboxServer:
    """Return the module's sandbox with fresh state."""
    assert sandbox_server.state is not None
    sandbox_server.state.reset()
    return sandbox_server


@pytest.fixture
def state(sandbox: SandboxServer) -> SandboxState:
    """Return the sandbox's in-process state."""
    assert sandbox.state is not None
    return sandbox.state
