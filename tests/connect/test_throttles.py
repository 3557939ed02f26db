"""Throttles: a manual sync at most every MANUAL_SYNC_MIN_INTERVAL_MINUTES, at most 10 outstanding OAuth states."""

from __future__ import annotations

from datetime import timedelta

from shared.clock import utc_now
from tests.connect.conftest import call, connect, error_code, http_request, redirect_status, start_connect


def _sync(token: str):
    return call("connections_sync", http_request("POST", "connections/oura/sync", token=token,
                                                 route_params={"provider": "oura"}))


def _finish_pending_sync(database) -> None:
    with database.transaction() as cursor:
        cursor.execute("UPDATE connections SET sync_pending_until = NULL")


def test_a_second_manual_sync_within_the_interval_is_429_with_retry_after(sandbox, token, database):
    alice = token("alice")
    redirect_status(connect(alice, "oura"))
    _finish_pending_sync(database)
    assert _sync(alice).status_code == 202
    _finish_pending_sync(database)

    too_soon = _sync(alice)
    assert (too_soon.status_code, error_code(too_soon)) == (429, "sync_too_soon")
    assert 14 * 60 < int(too_soon.headers["Retry-After"]) <= 15 * 60

    with database.transaction() as cursor:
        cursor.execute("UPDATE connections SET last_manual_sync_at = %s", (utc_now() - timedelta(minutes=15),))
    assert _sync(alice).status_code == 202


def test_a_manual_sync_is_allowed_after_a_backfill(sandbox, token, database):
    alice = token("alice")
    redirect_status(connect(alice, "oura"))
    pending = _sync(alice)
    assert (pending.status_code, error_code(pending)) == (409, "sync_already_pending")
    _finish_pending_sync(database)
    assert _sync(alice).status_code == 202


def test_at_most_ten_outstanding_oauth_states_per_user(sandbox, token, database):
    alice = token("alice")
    for _ in range(10):
        assert start_connect(alice, "oura").status_code == 200
    refused = start_connect(alice, "fitbit")
    assert (refused.status_code, error_code(refused)) == (429, "too_many_pending_connects")
    assert "Retry-After" in refused.headers
    assert start_connect(token("bob"), "oura").status_code == 200  # another user is not affected
    with database.transaction() as cursor:
        cursor.execute("UPDATE oauth_states SET expires_at = now() - interval '1 second'"
                       " WHERE state_hash = (SELECT state_hash FROM oauth_states WHERE user_id = 'alice' LIMIT 1)")
    assert start_connect(alice, "oura").status_code == 200
