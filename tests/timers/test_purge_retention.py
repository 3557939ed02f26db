"""timer_purge_retention: revoked rows after REVOKED_RETENTION_DAYS, used states and expired links after a day."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from datetime import timedelta

import requests

from shared.clock import utc_now
from shared.config import get_settings
from shared.retention import purge_retention


def _connection(cursor, user: str, status: str, revoked_days_ago: float | None) -> str:
    connection_id = str(uuid.uuid4())
    revoked_at = utc_now() - timedelta(days=revoked_days_ago) if revoked_days_ago is not None else None
    cursor.execute("INSERT INTO connections (id, user_id, provider, status, revoked_at, connected_at)"
                   " VALUES (%s, %s, 'oura', %s, %s, now() - interval '400 days')",
                   (connection_id, user, status, revoked_at))
    cursor.execute("INSERT INTO sync_cursors (connection_id, stream) VALUES (%s, 'daily_activity')", (connection_id,))
    return connection_id


def _state(cursor, name: str, *, used_hours_ago: float | None, expires_in_hours: float) -> None:
    now = utc_now()
    cursor.execute(
        "INSERT INTO oauth_states (state_hash, user_id, provider, return_to, expires_at, used_at)"
        " VALUES (%s, 'u', 'oura', 'http://127.0.0.1/', %s, %s)",
        (name.encode(), now + timedelta(hours=expires_in_hours),
         now - timedelta(hours=used_hours_ago) if used_hours_ago is not None else None))


def _rows(database) -> tuple[set, set, int]:
    with database.transaction() as cursor:
        cursor.execute("SELECT user_id FROM connections")
        users = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT state_hash FROM oauth_states")
        states = {bytes(row[0]).decode() for row in cursor.fetchall()}
        cursor.execute("SELECT count(*) FROM sync_cursors")
        return users, states, cursor.fetchone()[0]


def _seed(database) -> None:
    with database.transaction() as cursor:
        _connection(cursor, "revoked-31-days", "revoked", 31)
        _connection(cursor, "revoked-29-days", "revoked", 29)
        _connection(cursor, "active", "active", None)
        _state(cursor, "used-25h", used_hours_ago=25, expires_in_hours=-24.8)
        _state(cursor, "used-1h", used_hours_ago=1, expires_in_hours=-0.8)
        _state(cursor, "expired-25h", used_hours_ago=None, expires_in_hours=-25)
        _state(cursor, "outstanding", used_hours_ago=None, expires_in_hours=0.1)


def test_rows_past_their_retention_are_deleted(database):
    _seed(database)
    deleted = purge_retention(database, get_settings(), now=utc_now())
    assert (deleted["connections"], deleted["oauth_states"]) == (1, 2)
    users, states, cursors = _rows(database)
    assert users == {"revoked-29-days", "active"}
    assert states == {"used-1h", "outstanding"}
    assert cursors == 2  # the purged connection's cursor went with it


def test_the_retention_of_revoked_rows_is_a_setting(database):
    _seed(database)
    purge_retention(database, replace(get_settings(), revoked_retention_days=10), now=utc_now())
    assert _rows(database)[0] == {"active"}


def test_the_timer_function_purges_through_the_host(database, app_host):
    _seed(database)
    answer = requests.post(f"{app_host.base_url}/admin/functions/timer_purge_retention", json={"input": ""},
                           timeout=10)
    assert answer.status_code == 202
    deadline = time.monotonic() + 30
    while _rows(database)[0] != {"revoked-29-days", "active"} and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _rows(database)[0] == {"revoked-29-days", "active"}
