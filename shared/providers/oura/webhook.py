"""Oura webhooks: the verification handshake and signed notifications (docs/providers/oura.md 7).

Handshake: `GET ?verification_token=&challenge=` answers `{"challenge": ...}` when the token equals
`OURA_WEBHOOK_VERIFICATION_TOKEN`, else 401. Notification: `x-oura-signature` is the upper-case hex
HMAC-SHA256, keyed with the client secret, of `x-oura-timestamp` followed by the raw body (or, failing
that, its compact re-serialisation, which Oura's sample signs); compared in constant time; timestamps more than 5 minutes old (or ahead) are refused. The body names the Oura user,
the data type and `event_time`; the job reads the days around it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Any

from shared.clock import UTC
from shared.providers.base import ProviderSettings
from shared.webhooks.receiver import Inbound, Notification, Reply, Verified, WebhookRefused

MAX_AGE = timedelta(minutes=5)
EVENT_TYPES = ("create", "update", "delete")
# Oura's webhook data types that feed our streams (heart rate has none: polling reads it).
DATA_TYPES = ("sleep", "daily_sleep", "daily_readiness", "daily_activity", "workout", "session", "daily_spo2",
              "daily_stress", "daily_resilience", "daily_cardiovascular_age", "vo2_max")
# A webhook data type names its collection (our streams' tag) in other spelling only here (oura.md 7.1).
COLLECTION_OF = {"vo2_max": "vO2_max"}


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Return Oura's signature of a notification."""
    return hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).hexdigest().upper()


def days_around(moment: datetime) -> tuple[datetime, datetime]:
    """Return the UTC day before `moment`'s day through the end of its day (the wearer's zone may differ)."""
    day = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    return day - timedelta(days=1), day + timedelta(days=1)


class OuraWebhook:
    """Oura's webhook receiver."""

    ack_status = 200
    replay_status = 401

    def handshake(self, request: Inbound, settings: ProviderSettings) -> Reply | None:
        """Answer Oura's GET verification with the challenge when the token matches."""
        if request.method != "GET":
            return None
        expected = settings.webhook.get("verification_token")
        given = request.params.get("verification_token", "")
        challenge = request.params.get("challenge")
        if not expected or not challenge or not hmac.compare_digest(given.encode(), expected.encode()):
            raise WebhookRefused(401, "verification_failed", "the verification token does not match")
        return Reply(200, {"challenge": challenge})

    def verify(self, request: Inbound, settings: ProviderSettings, now: datetime) -> Verified:
        """Check the signature and age, then read the notification."""
        sent, stamp = request.header("x-oura-signature"), request.header("x-oura-timestamp")
        if not sent or not stamp or not settings.client_secret:
            raise WebhookRefused(401, "unsigned_notification", "the notification carries no signature")
        if not _signed(settings.client_secret, stamp, request.body, sent.strip().upper()):
            raise WebhookRefused(401, "bad_signature", "the notification's signature does not match")
        try:
            sent_at = datetime.fromtimestamp(int(stamp), UTC)
        except (ValueError, OverflowError):
            raise WebhookRefused(401, "bad_timestamp", "x-oura-timestamp is not a Unix time") from None
        if abs(now - sent_at) > MAX_AGE:
            raise WebhookRefused(401, "stale_notification", "the notification is older than 5 minutes")
        return Verified((_notification(request.body),), stamp.encode() + b"." + request.body)


def _signed(secret: str, stamp: str, body: bytes, sent: str) -> bool:
    """Check the raw body, then its compact re-serialisation (Oura's sample signs `JSON.stringify`)."""
    if hmac.compare_digest(signature(secret, stamp, body).encode(), sent.encode()):
        return True
    try:
        compact = json.dumps(json.loads(body), separators=(",", ":"), ensure_ascii=False).encode()
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    return compact != body and hmac.compare_digest(signature(secret, stamp, compact).encode(), sent.encode())


def _notification(body: bytes) -> Notification:
    try:
        data: Any = json.loads(body)
        user, data_type, event = data["user_id"], data["data_type"], data["event_type"]
        moment = datetime.fromisoformat(str(data["event_time"]).replace("Z", "+00:00"))
    except (ValueError, TypeError, KeyError):
        raise WebhookRefused(400, "malformed_notification", "the notification is not Oura's shape") from None
    if not isinstance(user, str) or not isinstance(data_type, str) or event not in EVENT_TYPES:
        raise WebhookRefused(400, "malformed_notification", "the notification is not Oura's shape")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    object_id = data.get("object_id") if isinstance(data.get("object_id"), str) else None
    return Notification(user, COLLECTION_OF.get(data_type, data_type), "delete" if event == "delete" else "upsert", (days_around(moment),),
                        object_id)


def receiver() -> OuraWebhook:
    """Return the receiver (imported on first use)."""
    return OuraWebhook()
