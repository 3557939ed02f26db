"""Google Health webhooks over real HTTP: verification, the subscriber, a new day, refusals, deletions."""

from __future__ import annotations

import base64
from datetime import timedelta

import requests
import tink
from tink import signature

from devtools.sandbox.providers.fitbit.webhooks import notification, signed_headers
from shared.clock import utc_now
from shared.config import get_settings
from shared.db import get_database
from shared.providers.fitbit.subscriber import GoogleHealthSubscriber, data_types
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

SECRET = "Bearer sandbox-health-webhook-secret"
ADMIN_TOKEN = "sandbox-project-admin-token"


def test_endpoint_verification_answers_201_with_the_secret_and_401_without(app_host):
    body = b'{"type": "verification"}'
    assert post("fitbit", body, {"Authorization": SECRET}).status_code == 201
    assert post("fitbit", body, {}).status_code == 401
    assert post("fitbit", body, {"Authorization": "Bearer wrong"}).status_code == 401


def test_the_subscriber_is_created_through_verification_then_updated(sandbox, app_host):
    subscriber = GoogleHealthSubscriber()
    assert subscriber.repair(get_settings(), ADMIN_TOKEN, utc_now()).created == ["personicle-connect"]
    [listed] = subscriber.list(get_settings(), ADMIN_TOKEN)
    assert listed.id == "personicle-connect" and listed.detail.startswith("ACTIVE: ")
    assert set(listed.detail.removeprefix("ACTIVE: ").split(", ")) == set(data_types())
    assert subscriber.repair(get_settings(), ADMIN_TOKEN, utc_now()).updated == ["personicle-connect"]


def test_a_new_day_reaches_the_sink_through_the_webhook(sandbox, app_host, webhook_tables):
    pin_sandbox_clock(sandbox, "fitbit")
    connect_account(sandbox, "fitbit")
    GoogleHealthSubscriber().repair(get_settings(), ADMIN_TOKEN, utc_now())
    clear("fitbit")
    before = len(sink_lines())
    answer = requests.post(f"{SANDBOX}/_sandbox/fitbit/new-day", json={"user": "bob"}, timeout=60).json()
    assert answer["answers"] == {"204": len(data_types())}
    jobs = queued_jobs("fitbit")
    assert len(jobs) >= 5 and {job["reason"] for job in jobs} == {"webhook"}
    assert drain(app_host, "fitbit") == len(jobs)
    day = answer["day_start"][:10]
    new = [line for line in sink_lines()[before:] if line["partition_key"] == "bob"]
    streams = {line["body"].get("streamName") or line["body"].get("event_name") for line in new
               if any(moment.startswith(day) for moment in record_times(line))}
    assert len(streams) >= 3
    assert pending_windows() == []


def test_forged_unsigned_wrong_secret_and_replayed_notifications_queue_nothing(sandbox, app_host, webhook_tables):
    connect_account(sandbox, "fitbit")
    clear("fitbit")
    body = notification("bob", "steps", NOW - timedelta(hours=2), NOW - timedelta(hours=1))
    signature.register()
    other = tink.new_keyset_handle(signature.signature_key_templates.ECDSA_P256).primitive(signature.PublicKeySign)
    forged = {"Authorization": SECRET, "GOOGLE-HEALTH-API-SIGNATURE": base64.b64encode(other.sign(body)).decode()}
    tampered = signed_headers(body, SECRET)
    cases = {
        "forged": (body, forged),
        "tampered": (body.replace(b"steps", b"sleep"), tampered),
        "unsigned": (body, {"Authorization": SECRET}),
        "wrong secret": (body, signed_headers(body, "Bearer guess")),
    }
    for name, (raw, headers) in cases.items():
        assert post("fitbit", raw, headers).status_code == 401, name
    assert queued_jobs("fitbit") == [] and pending_windows() == []
    headers = signed_headers(body, SECRET)
    assert post("fitbit", body, {**headers, "X-HEALTHAPI-SIGNATURE": headers.pop("GOOGLE-HEALTH-API-SIGNATURE")}
                ).status_code == 204  # the older header name works too
    clear("fitbit")
    assert post("fitbit", body, signed_headers(body, SECRET)).status_code == 204  # at least once: acknowledged
    assert queued_jobs("fitbit") == []


def test_a_deletion_is_recorded_and_its_interval_read_again(sandbox, app_host, webhook_tables):
    connection_id = connect_account(sandbox, "fitbit")
    clear("fitbit")
    start, end = NOW - timedelta(hours=3), NOW - timedelta(hours=2)
    body = notification("bob", "weight", start, end, "DELETE")
    assert post("fitbit", body, signed_headers(body, SECRET)).status_code == 204
    with get_database().transaction() as cursor:
        cursor.execute("SELECT connection_id, stream, window_start, window_end FROM webhook_deletions")
        [(found, stream, first, last)] = cursor.fetchall()
    assert (str(found), stream, first, last) == (str(connection_id), "weight", start, end)
    assert [job["streams"] for job in queued_jobs("fitbit")] == [["weight"]]
