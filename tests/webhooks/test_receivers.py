"""The providers' webhook receivers and the keyset cache, without services."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
import tink
from tink import signature

from shared.providers.base import Endpoints, ProviderSettings
from shared.providers.fitbit.webhook import GoogleHealthWebhook
from shared.providers.oura.webhook import OuraWebhook, days_around
from shared.providers.oura.webhook import signature as oura_signature
from shared.webhooks.receiver import Inbound, WebhookRefused
from shared.webhooks.tink_keys import PublishedKeyset, key_id_of

UTC = timezone.utc
NOW = datetime(2026, 10, 1, 12, tzinfo=UTC)
ENDPOINTS = Endpoints("https://a", "https://t", None, "https://api")
OURA = ProviderSettings("id", "secret", ENDPOINTS, webhook={"verification_token": "tok"})


def _oura_request(body: bytes, stamp: int, sig: str | None = None) -> Inbound:
    headers = {"x-oura-timestamp": str(stamp), "x-oura-signature": sig or oura_signature("secret", str(stamp), body)}
    return Inbound("POST", headers, {}, body)


def _oura_body(**changes) -> bytes:
    return json.dumps({"event_type": "create", "data_type": "vo2_max", "object_id": "o-1",
                       "event_time": "2026-10-01T05:00:00+00:00", "user_id": "u-1", **changes}).encode()


def test_oura_notification_becomes_the_days_around_its_event_time():
    verified = OuraWebhook().verify(_oura_request(_oura_body(), int(NOW.timestamp())), OURA, NOW)
    [note] = verified.notifications
    assert (note.provider_user_id, note.data_type, note.operation, note.object_id) == ("u-1", "vO2_max", "upsert", "o-1")
    assert note.windows == (days_around(datetime(2026, 10, 1, 5, tzinfo=UTC)),)
    assert note.windows[0] == (datetime(2026, 9, 30, tzinfo=UTC), datetime(2026, 10, 2, tzinfo=UTC))


@pytest.mark.parametrize(("request_of", "code"), [
    (lambda body, stamp: _oura_request(body, stamp, "00" * 32), "bad_signature"),
    (lambda body, stamp: _oura_request(body, stamp - 301), "stale_notification"),
    (lambda body, stamp: _oura_request(body, stamp + 301), "stale_notification"),
    (lambda body, stamp: Inbound("POST", {}, {}, body), "unsigned_notification"),
    (lambda body, stamp: _oura_request(b"{}", stamp), "malformed_notification"),
], ids=["forged", "old", "ahead", "unsigned", "malformed"])
def test_oura_refusals_name_their_reason(request_of, code):
    with pytest.raises(WebhookRefused) as refused:
        OuraWebhook().verify(request_of(_oura_body(), int(NOW.timestamp())), OURA, NOW)
    assert refused.value.code == code


def test_oura_handshake_needs_the_configured_token():
    receiver = OuraWebhook()
    reply = receiver.handshake(Inbound("GET", {}, {"verification_token": "tok", "challenge": "c"}, b""), OURA)
    assert (reply.status, reply.body) == (200, {"challenge": "c"})
    with pytest.raises(WebhookRefused):
        receiver.handshake(Inbound("GET", {}, {"verification_token": "x", "challenge": "c"}, b""), OURA)
    unset = ProviderSettings("id", "secret", ENDPOINTS)
    with pytest.raises(WebhookRefused):
        receiver.handshake(Inbound("GET", {}, {"verification_token": "", "challenge": "c"}, b""), unset)


def _keyset_and_signer():
    signature.register()
    handle = tink.new_keyset_handle(signature.signature_key_templates.ECDSA_P256)
    public = tink.json_proto_keyset_format.serialize_without_secret(handle.public_keyset_handle())
    return public, handle.primitive(signature.PublicKeySign)


def test_the_keyset_is_fetched_again_for_an_unknown_key_at_most_once_a_minute():
    first, _ = _keyset_and_signer()
    second, signer = _keyset_and_signer()
    served, fetches, clock = [first], [], [0.0]

    def fetch() -> str:
        fetches.append(clock[0])
        return served[0]

    keys = PublishedKeyset(fetch, clock=lambda: clock[0])
    signed = signer.sign(b"body")
    assert key_id_of(signed) is not None
    assert keys.verify(b"not a signature", b"body") is False and len(fetches) == 1
    served[0] = second
    assert keys.verify(signed, b"body") is False and len(fetches) == 1  # fetched once, key unknown, throttled
    clock[0] = 61.0
    assert keys.verify(signed, b"body") is True and len(fetches) == 2
    assert keys.verify(signed, b"other body") is False and len(fetches) == 2


def test_google_notifications_list_each_interval():
    body = {"data": {"healthUserId": "h-1", "dataType": "steps", "operation": "DELETE", "intervals": [
        {"physicalTimeInterval": {"startTime": "2026-10-01T01:00:00Z", "endTime": "2026-10-01T01:00:00Z"}},
        {"civilIso8601TimeInterval": {"startTime": "2026-10-02T00:00:00", "endTime": "2026-10-03T00:00:00"}}]}}
    from shared.providers.fitbit.webhook import _notifications

    [note] = _notifications(json.dumps(body).encode())
    assert (note.provider_user_id, note.data_type, note.operation) == ("h-1", "steps", "delete")
    assert note.windows == (
        (datetime(2026, 10, 1, 1, tzinfo=UTC), datetime(2026, 10, 1, 1, 1, tzinfo=UTC)),
        (datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 10, 4, tzinfo=UTC)))
    with pytest.raises(WebhookRefused):
        _notifications(b'{"data": {"healthUserId": "h-1"}}')


def test_google_verification_is_not_a_notification():
    settings = ProviderSettings("id", "secret", ENDPOINTS, webhook={"authorization": "Bearer s"})
    receiver = GoogleHealthWebhook()
    verification = b'{"type": "verification"}'
    assert receiver.handshake(Inbound("POST", {"authorization": "Bearer s"}, {}, verification), settings).status == 201
    with pytest.raises(WebhookRefused):
        receiver.handshake(Inbound("POST", {}, {}, verification), settings)
    assert receiver.handshake(Inbound("POST", {}, {}, b'{"data": {}}'), settings) is None
    with pytest.raises(WebhookRefused) as refused:
        receiver.verify(Inbound("POST", {"authorization": "Bearer s"}, {}, b'{"data": {}}'), settings, NOW)
    assert refused.value.code == "unsigned_notification"
