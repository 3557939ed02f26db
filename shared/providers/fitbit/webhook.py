"""Google Health API webhooks for the `fitbit` provider (docs/providers/fitbit.md 6).

Endpoint verification: two POSTs of `{"type": "verification"}`, one with the configured
`Authorization` secret (answered 201) and one without (answered 401). Notifications carry the same
secret (compared in constant time) and an ECDSA P-256 signature of the raw body in
`GOOGLE-HEALTH-API-SIGNATURE` (older name `X-HEALTHAPI-SIGNATURE`): base64 of a Tink-prefixed DER
signature, checked with Tink against Google's published public keyset (`FITBIT_WEBHOOK_KEYSET_URL`).
Both must hold. The body names the Health user, the data type (kebab-case, as our streams' tags), the
operation (`UPSERT`, `DELETE`) and the changed intervals; the job re-reads those intervals.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import threading
from datetime import datetime, timedelta
from typing import Any

from shared.providers.base import ProviderSettings
from shared.webhooks.receiver import Inbound, Notification, Reply, Verified, WebhookRefused
from shared.webhooks.tink_keys import KeysetUnavailable, PublishedKeyset

KEYSET_URL = "https://www.gstatic.com/googlehealthapi/webhooks/webhooks_public_keyset.json"
SIGNATURE_HEADERS = ("google-health-api-signature", "x-healthapi-signature")
MIN_WINDOW = timedelta(minutes=1)
# Data types Google sends notifications for (docs/providers/fitbit.md 6.1), kebab-case.
WEBHOOK_DATA_TYPES = frozenset({
    "active-zone-minutes", "activity-level", "altitude", "blood-glucose", "body-fat", "calories-in-heart-rate-zone",
    "daily-heart-rate-variability", "daily-heart-rate-zones", "daily-oxygen-saturation", "daily-respiratory-rate",
    "daily-resting-heart-rate", "daily-sleep-temperature-derivations", "distance", "exercise", "floors",
    "heart-rate", "heart-rate-variability", "height", "hydration-log", "nutrition-log",
    "respiratory-rate-sleep-summary", "run-vo2-max", "sedentary-period", "sleep", "steps",
    "time-in-heart-rate-zone", "total-calories", "weight"})

_keysets: dict[str, PublishedKeyset] = {}
_keysets_lock = threading.Lock()


def _keyset(url: str) -> PublishedKeyset:
    """Return the process-wide cache of the keyset at `url`."""
    from shared.http.session import TIMEOUT_SECONDS, session

    def fetch() -> str:
        import requests

        try:
            response = session().get(url, timeout=TIMEOUT_SECONDS)
        except requests.RequestException:
            raise KeysetUnavailable("the webhook keyset could not be fetched") from None
        if response.status_code != 200:
            raise KeysetUnavailable(f"the webhook keyset answered HTTP {response.status_code}")
        return response.text

    with _keysets_lock:
        return _keysets.setdefault(url, PublishedKeyset(fetch))


def _secret_matches(request: Inbound, settings: ProviderSettings) -> bool:
    expected = settings.webhook.get("authorization")
    given = request.header("authorization")
    return bool(expected and given) and hmac.compare_digest(given.encode(), expected.encode())


class GoogleHealthWebhook:
    """The Google Health API webhook receiver."""

    ack_status = 204
    replay_status = 204  # delivery is at least once: a repeat is acknowledged, not acted on again

    def handshake(self, request: Inbound, settings: ProviderSettings) -> Reply | None:
        """Answer Google's endpoint verification: 201 with the secret, 401 without."""
        if request.method != "POST":
            raise WebhookRefused(405, "method_not_allowed", "use POST")
        try:
            body = json.loads(request.body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
        if not isinstance(body, dict) or body.get("type") != "verification":
            return None
        if not _secret_matches(request, settings):
            raise WebhookRefused(401, "verification_failed", "the Authorization secret does not match")
        return Reply(201, None)

    def verify(self, request: Inbound, settings: ProviderSettings, now: datetime) -> Verified:
        """Check the secret and the signature, then read the notifications."""
        header = next((request.header(name) for name in SIGNATURE_HEADERS if request.header(name)), None)
        if not header:
            raise WebhookRefused(401, "unsigned_notification", "the notification carries no signature")
        if not _secret_matches(request, settings):
            raise WebhookRefused(401, "bad_authorization", "the Authorization secret does not match")
        try:
            sig = base64.b64decode(header.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise WebhookRefused(401, "bad_signature", "the signature is not base64") from None
        try:
            valid = _keyset(settings.webhook.get("keyset_url") or KEYSET_URL).verify(sig, request.body)
        except KeysetUnavailable as error:
            raise WebhookRefused(503, "keyset_unavailable", str(error)) from None
        if not valid:
            raise WebhookRefused(401, "bad_signature", "the notification's signature does not verify")
        return Verified(tuple(_notifications(request.body)), request.body)


def _notifications(body: bytes) -> list[Notification]:
    try:
        parsed: Any = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise WebhookRefused(400, "malformed_notification", "the notification is not JSON") from None
    items = parsed if isinstance(parsed, list) else [parsed]
    found = []
    for item in items:
        data = item.get("data") if isinstance(item, dict) else None
        for one in data if isinstance(data, list) else [data]:
            found.append(_notification(one))
    return found


def _notification(data: Any) -> Notification:
    try:
        user, data_type, operation = data["healthUserId"], data["dataType"], data["operation"]
        windows = tuple(_window(interval) for interval in data["intervals"])
    except (KeyError, TypeError, ValueError):
        raise WebhookRefused(400, "malformed_notification", "the notification is not Google's shape") from None
    if not isinstance(user, str) or not isinstance(data_type, str) or operation not in ("UPSERT", "DELETE"):
        raise WebhookRefused(400, "malformed_notification", "the notification is not Google's shape")
    return Notification(user, data_type, "delete" if operation == "DELETE" else "upsert", windows)


def _window(interval: dict) -> tuple[datetime, datetime]:
    """Return an interval's physical times (a civil-only interval is widened by a day each side)."""
    physical = interval.get("physicalTimeInterval")
    if physical:
        start, end = _instant(physical["startTime"]), _instant(physical["endTime"])
    else:
        civil = interval["civilIso8601TimeInterval"]
        start = _instant(civil["startTime"] + "Z") - timedelta(days=1)
        end = _instant(civil["endTime"] + "Z") + timedelta(days=1)
    return start, max(end, start + MIN_WINDOW)


def _instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("no zone")
    return moment


def receiver() -> GoogleHealthWebhook:
    """Return the receiver (imported on first use)."""
    return GoogleHealthWebhook()
