"""WHOOP webhooks: signed notifications naming one record (docs/providers/whoop.md 7).

Registered by hand in WHOOP's Developer Dashboard (model version v2): no API, no handshake.
`X-WHOOP-Signature` is the base64 HMAC-SHA256, keyed with the client secret, of
`X-WHOOP-Signature-Timestamp` (milliseconds since the epoch) followed by the raw body; compared in
constant time; timestamps more than 5 minutes old (or ahead) are refused (7.4). The body is
`{user_id, id, type, trace_id}`: `type` is `sleep|workout|recovery` `.updated|.deleted`, `id` the
record's UUID (for a recovery, the UUID of its sleep), `trace_id` the same for every delivery of one
event, so it is what the replay guard remembers (7.3, 7.5). A notification names no times: the job
locates the record (`locate.py`). Types we do not read are acknowledged and ignored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import datetime, timedelta
from typing import Any

from shared.clock import UTC
from shared.providers.base import ProviderSettings
from shared.webhooks.receiver import Inbound, Notification, Reply, Verified, WebhookRefused

MAX_AGE = timedelta(minutes=5)
# The notified kind -> the tag of the stream it feeds (the collection path, as in streams.py).
STREAM_TAG_OF = {"sleep": "v2/activity/sleep", "workout": "v2/activity/workout", "recovery": "v2/recovery"}
OPERATION_OF = {"updated": "upsert", "deleted": "delete"}


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Return WHOOP's signature of a notification."""
    return base64.b64encode(hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()).decode()


class WhoopWebhook:
    """WHOOP's webhook receiver."""

    ack_status = 204
    replay_status = 204  # WHOOP retries anything but 2xx: a repeated event is acknowledged, not acted on again

    def handshake(self, request: Inbound, settings: ProviderSettings) -> Reply | None:
        """WHOOP has no handshake; only POST is answered."""
        if request.method != "POST":
            raise WebhookRefused(405, "method_not_allowed", "use POST")
        return None

    def verify(self, request: Inbound, settings: ProviderSettings, now: datetime) -> Verified:
        """Check the signature and age, then read the notification."""
        sent, stamp = request.header("x-whoop-signature"), request.header("x-whoop-signature-timestamp")
        if not sent or not stamp or not settings.client_secret:
            raise WebhookRefused(401, "unsigned_notification", "the notification carries no signature")
        expected = signature(settings.client_secret, stamp, request.body)
        if not hmac.compare_digest(expected.encode(), sent.strip().encode()):
            raise WebhookRefused(401, "bad_signature", "the notification's signature does not match")
        try:
            sent_at = datetime.fromtimestamp(int(stamp) / 1000, UTC)
        except (ValueError, OverflowError, OSError):
            raise WebhookRefused(401, "bad_timestamp", "X-WHOOP-Signature-Timestamp is not a time in milliseconds"
                                 ) from None
        if abs(now - sent_at) > MAX_AGE:
            raise WebhookRefused(401, "stale_notification", "the notification is older than 5 minutes")
        notifications, trace = _parse(request.body)
        replay_key = b"trace:" + trace.encode() if trace else stamp.encode() + b"." + request.body
        return Verified(notifications, replay_key)


def _parse(body: bytes) -> tuple[tuple[Notification, ...], str | None]:
    """Return the notification (none for a type we do not read) and the event's trace id."""
    try:
        data: Any = json.loads(body)
        user, event, object_id = data["user_id"], data["type"], data["id"]
    except (UnicodeDecodeError, ValueError, TypeError, KeyError):
        raise WebhookRefused(400, "malformed_notification", "the notification is not WHOOP's shape") from None
    trace = data.get("trace_id") if isinstance(data.get("trace_id"), str) and data.get("trace_id") else None
    if type(user) is not int or not isinstance(event, str):
        raise WebhookRefused(400, "malformed_notification", "the notification is not WHOOP's shape")
    kind, _, change = event.partition(".")
    if kind not in STREAM_TAG_OF or change not in OPERATION_OF:
        return (), trace
    try:
        record = str(uuid.UUID(object_id)) if isinstance(object_id, str) else None
    except ValueError:
        record = None
    if record is None:
        raise WebhookRefused(400, "malformed_notification", "the record id is not a UUID (webhook model v2 expected)")
    return (Notification(str(user), STREAM_TAG_OF[kind], OPERATION_OF[change], (), record),), trace


def receiver() -> WhoopWebhook:
    """Return the receiver (imported on first use)."""
    return WhoopWebhook()
