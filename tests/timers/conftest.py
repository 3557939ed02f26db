"""Connections made through the real OAuth flow against the sandbox, for the timer tests."""

import uuid

import pytest

from tests.connect.conftest import connect, redirect_status

# (Personicle user, provider, sandbox account): dave has no Google Health profile, so no fitbit.
PAIRS = [(f"user-{account}", provider, account)
         for provider in ("fitbit", "oura", "google_fit")
         for account in ("alice", "bob", "carol", "dave")
         if not (provider == "fitbit" and account == "dave")]


@pytest.fixture
def connections(sandbox, database):
    """Connect every pair; return {(user, provider): connection id}."""
    made = {}
    for user, provider, account in PAIRS:
        token = sandbox.state.oidc.mint(user)
        assert redirect_status(connect(token, provider, sandbox_user=account))["status"] == "connected"
    with database.transaction() as cursor:
        cursor.execute("UPDATE connections SET sync_pending_until = NULL")  # the backfills have finished
        cursor.execute("SELECT user_id, provider, id FROM connections")
        for user, provider, connection_id in cursor.fetchall():
            made[(user, provider)] = uuid.UUID(str(connection_id))
    return made


def refresh_calls(sandbox) -> int:
    """Refresh-token grants that reached the sandbox's token endpoints."""
    counters = sandbox.state.counters
    return counters.get("google.token:refresh_token") + counters.get("oura.token:refresh_token")
