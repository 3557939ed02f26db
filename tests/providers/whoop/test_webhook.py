"""WHOOP's webhook receiver without services: signature, age, parsing, replay key (docs/providers/whoop.md 7)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from shared.clock import UTC
from shared.providers.base import Endpoints, ProviderSettings
from shared.providers.whoop.webhook import WhoopWebhook, signature
from shared.webhooks.receiver import Inbound, WebhookRefused

NOW = datetime(2026, 10, 1, 12, tzinfo=UTC)
SETTINGS = ProviderSettings("id", "client-secret", Endpoints("https://a", "https://t", None, "https://api"))
SLEEP = "550e8400-e29b-41d4-a716-446655440000"


def _body(**changes) -> bytes:
    return json.dumps({"user_id": 456, "id": SLEEP, "type": "recovery.updated",
                       "trace_id": "e369c784-5100-49e8-8098-75d35c47b31b", **changes}).encode()


def _request(body: bytes, at: datetime = NOW, sig: str | None = None, method: str = "POST") -> Inbound:
    stamp = str(int(at.timestamp() * 1000))
    headers = {"x-whoop-signature-timestamp": stamp,
               "x-whoop-signature": sig if sig is not None else signature("client-secret", stamp, body)}
    return Inbound(method, headers, {}, body)


def test_the_documented_signature_is_base64_hmac_sha256_of_timestamp_and_raw_body():
    import base64
    import hashlib
    import hmac

    expected = base64.b64encode(hmac.new(b"k", b"1733212800123" + b"{}", hashlib.sha256).digest()).decode()
    assert signature("k", "1733212800123", b"{}") == expected


def test_a_recovery_event_names_the_sleep_for_the_recovery_stream_with_no_times():
    verified = WhoopWebhook().verify(_request(_body()), SETTINGS, NOW)
    [note] = verified.notifications
    assert (note.provider_user_id, note.data_type, note.operation, note.object_id, note.windows) == (
        "456", "v2/recovery", "upsert", SLEEP, ())
    assert verified.replay_key == b"trace:e369c784-5100-49e8-8098-75d35c47b31b"


@pytest.mark.parametrize(("kind", "tag", "operation"), [
    ("sleep.updated", "v2/activity/sleep", "upsert"), ("sleep.deleted", "v2/activity/sleep", "delete"),
    ("workout.updated", "v2/activity/workout", "upsert"), ("workout.deleted", "v2/activity/workout", "delete"),
    ("recovery.deleted", "v2/recovery", "delete"),
], ids=["sleep-updated", "sleep-deleted", "workout-updated", "workout-deleted", "recovery-deleted"])
def test_each_event_type_feeds_its_stream(kind, tag, operation):
    [note] = WhoopWebhook().verify(_request(_body(type=kind)), SETTINGS, NOW).notifications
    assert (note.data_type, note.operation) == (tag, operation)


def test_an_event_type_we_do_not_read_is_accepted_with_no_notification():
    assert WhoopWebhook().verify(_request(_body(type="cycle.updated")), SETTINGS, NOW).notifications == ()


def test_without_a_trace_id_the_signed_timestamp_and_body_identify_the_delivery():
    body = _body(trace_id=None)
    verified = WhoopWebhook().verify(_request(body), SETTINGS, NOW)
    assert verified.replay_key == str(int(NOW.timestamp() * 1000)).encode() + b"." + body


@pytest.mark.parametrize(("request_of", "status", "code"), [
    (lambda: _request(_body(), sig=signature("other-secret", "1", _body())), 401, "bad_signature"),
    (lambda: _request(_body() + b" ", sig=_request(_body()).headers["x-whoop-signature"]), 401, "bad_signature"),
    (lambda: Inbound("POST", {"x-whoop-signature": "x"}, {}, _body()), 401, "unsigned_notification"),
    (lambda: _request(_body(), at=NOW - timedelta(minutes=5, seconds=1)), 401, "stale_notification"),
    (lambda: _request(_body(), at=NOW + timedelta(minutes=5, seconds=1)), 401, "stale_notification"),
    (lambda: _request(b"not json"), 400, "malformed_notification"),
    (lambda: _request(_body(user_id="456")), 400, "malformed_notification"),
    (lambda: _request(_body(id=12345)), 400, "malformed_notification"),
    (lambda: _request(_body(id="../../v2/user/access")), 400, "malformed_notification"),
], ids=["other-key", "body-changed", "unsigned", "old", "ahead", "not-json", "user-not-int", "v1-id", "path-in-id"])
def test_refusals_name_their_reason(request_of, status, code):
    with pytest.raises(WebhookRefused) as refused:
        WhoopWebhook().verify(request_of(), SETTINGS, NOW)
    assert (refused.value.status, refused.value.code) == (status, code)


def test_a_signature_that_matches_the_timestamp_shifted_by_one_millisecond_is_refused():
    body = _body()
    stamp = int(NOW.timestamp() * 1000)
    headers = {"x-whoop-signature-timestamp": str(stamp + 1),
               "x-whoop-signature": signature("client-secret", str(stamp), body)}
    with pytest.raises(WebhookRefused):
        WhoopWebhook().verify(Inbound("POST", headers, {}, body), SETTINGS, NOW)


def test_there_is_no_handshake_and_other_methods_are_refused():
    receiver = WhoopWebhook()
    assert receiver.handshake(_request(_body()), SETTINGS) is None
    with pytest.raises(WebhookRefused) as refused:
        receiver.handshake(Inbound("GET", {}, {}, b""), SETTINGS)
    assert refused.value.status == 405
