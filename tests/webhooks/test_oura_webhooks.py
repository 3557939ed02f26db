"""Oura webhooks over real HTTP: handshake, subscriptions, a new day into the sink, refusals, coalescing."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import requests

from devtools.sandbox.providers.oura.accounts import OURA_USER_IDS
from devtools.sandbox.providers.oura.webhooks import signed_headers
from shared.clock import utc_now
from shared.config import get_settings
from shared.db import get_database
from shared.providers.oura.subscriptions import OuraSubscriptions
from shared.providers.oura.webhook import DATA_TYPES
from shared.store.connections import mark_needs_reauth
from shared.store.webhooks import last_notification_at
from tests.conftest import API
from tests.sync.support import NOW, connect_account, pin_sandbox_clock
from tests.webhooks.support import (
    SANDBOX,
    clear,
    drain,
    pending_windows,
    post,
    queued_jobs,
    record_times,
    sink_lines,
)

TOKEN = "sandbox-oura-webhook-token"


def _note(user: str = "bob", data_type: str = "daily_activity", event_time: datetime = NOW) -> bytes:
    return json.dumps({"event_type": "update", "data_type": data_type, "object_id": "x-1",
                       "event_time": event_time.isoformat(), "user_id": OURA_USER_IDS[user]},
                      separators=(",", ":")).encode()


def test_the_handshake_echoes_the_challenge_only_for_our_token(app_host):
    good = requests.get(f"{API}/webhooks/oura", params={"verification_token": TOKEN, "challenge": "c-42"}, timeout=10)
    assert good.status_code == 200 and good.json() == {"challenge": "c-42"}
    bad = requests.get(f"{API}/webhooks/oura", params={"verification_token": "guess", "challenge": "c-42"}, timeout=10)
    assert bad.status_code == 401 and "c-42" not in bad.text


def test_repair_creates_every_subscription_through_the_handshake_then_keeps_them(sandbox, app_host, webhook_tables):
    subscriptions = OuraSubscriptions()
    first = subscriptions.repair(get_settings(), None, utc_now())
    assert len(first.created) == len(DATA_TYPES) * 3 and not first.renewed
    listed = subscriptions.list(get_settings())
    assert {item.target for item in listed} == {f"{get_settings().public_base_url}/api/webhooks/oura"}
    again = subscriptions.repair(get_settings(), None, utc_now())
    assert (again.created, again.renewed, again.kept) == ([], [], len(DATA_TYPES) * 3)
    # Within 14 days of expiry every subscription is renewed.
    later = subscriptions.repair(get_settings(), None, utc_now() + timedelta(days=80))
    assert len(later.renewed) == len(DATA_TYPES) * 3 and not later.created


def test_a_new_day_reaches_the_sink_through_the_webhook(sandbox, app_host, webhook_tables):
    pin_sandbox_clock(sandbox, "oura")
    connect_account(sandbox, "oura")
    OuraSubscriptions().repair(get_settings(), None, utc_now())
    clear("oura")
    before = len(sink_lines())
    answer = requests.post(f"{SANDBOX}/_sandbox/oura/new-day", json={"user": "bob"}, timeout=60).json()
    assert answer["answers"] == {"200": len(DATA_TYPES)}
    jobs = queued_jobs("oura")
    assert sorted(job["streams"][0] for job in jobs) == sorted(DATA_TYPES)
    assert {job["reason"] for job in jobs} == {"webhook"}
    with get_database().transaction() as cursor:
        assert last_notification_at(cursor, "oura") is not None
        assert last_notification_at(cursor, "fitbit") is None
    assert drain(app_host, "oura") == len(DATA_TYPES)
    day = answer["day_start"][:10]
    new = [line for line in sink_lines()[before:] if line["partition_key"] == "bob"]
    assert any(moment.startswith(day) for line in new for moment in record_times(line))
    assert pending_windows() == []


def test_forged_stale_replayed_and_unsigned_notifications_are_refused(sandbox, app_host, webhook_tables):
    connect_account(sandbox, "oura")
    clear("oura")
    body = _note()
    forged = dict(signed_headers(body), **{"x-oura-signature": "AB" * 32})
    stale = signed_headers(body, int(time.time()) - 600)
    cases = {"forged": forged, "stale": stale, "unsigned": {"Content-Type": "application/json"}}
    for name, headers in cases.items():
        answer = post("oura", body, headers)
        assert answer.status_code == 401, name
    assert queued_jobs("oura") == [] and pending_windows() == []
    headers = signed_headers(body)
    assert post("oura", body, headers).status_code == 200
    clear("oura")
    assert post("oura", body, headers).status_code == 401  # the same signed request again
    assert queued_jobs("oura") == []


def test_a_burst_of_50_notifications_becomes_one_job_covering_them_all(sandbox, app_host, webhook_tables):
    connection_id = connect_account(sandbox, "oura")
    clear("oura")
    times = [NOW - timedelta(days=2) + timedelta(hours=index) for index in range(50)]
    bodies = [_note(event_time=moment) for moment in times]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda raw: post("oura", raw, signed_headers(raw)).status_code, bodies))
    assert answers == [200] * 50
    jobs = queued_jobs("oura")
    assert len(jobs) == 1 and jobs[0]["streams"] == ["daily_activity"]
    [(found_id, stream, start, end)] = pending_windows()
    assert (found_id, stream) == (connection_id, "daily_activity")
    first_day = datetime(times[0].year, times[0].month, times[0].day, tzinfo=timezone.utc)
    assert start == first_day - timedelta(days=1) and end >= times[-1]
    assert drain(app_host, "oura") == 1
    assert pending_windows() == []


def test_notifications_for_revoked_reauth_or_unknown_accounts_are_acknowledged_and_dropped(sandbox, app_host,
                                                                                            webhook_tables):
    connect_account(sandbox, "oura")
    alice = connect_account(sandbox, "oura", user="alice")
    with get_database().transaction() as cursor:
        mark_needs_reauth(cursor, alice, message="connect again", now=utc_now())
    token = sandbox.state.oidc.mint("bob")
    assert requests.delete(f"{API}/connections/oura", headers={"Authorization": f"Bearer {token}"},
                           timeout=10).status_code == 200
    clear("oura")
    for user in ("bob", "alice", "carol"):  # bob revoked, alice needs_reauth, carol never connected
        body = _note(user)
        assert post("oura", body, signed_headers(body)).status_code == 200
    assert queued_jobs("oura") == [] and pending_windows() == []
