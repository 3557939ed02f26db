"""Google Health API webhooks: the project's subscribers, endpoint verification, signed notifications.

    GET    /googlehealth/v4/projects/{project}/subscribers          list (any bearer token: the
                                                                   project's service credential)
    POST   /googlehealth/v4/projects/{project}/subscribers?subscriberId=   create: verifies the endpoint
    PATCH  /googlehealth/v4/projects/{project}/subscribers/{id}?updateMask=  update: verifies again
    GET    /gstatic/googlehealthapi/webhooks/webhooks_public_keyset.json    the public Tink keyset
    POST   /_sandbox/fitbit/new-day {"user", "burst"?, "operation"?}        one more day of data, then
                                                                   signed notifications to every
                                                                   AUTOMATIC subscriber
    POST   /_sandbox/fitbit/webhook-key/rotate                         a new primary signing key

Verification (docs/providers/fitbit.md 6.2): two POSTs of `{"type": "verification"}`, with the
secret (must answer 200 or 201) and without (must answer 401 or 403), else FAILED_PRECONDITION.
Notifications carry the secret and `GOOGLE-HEALTH-API-SIGNATURE`: base64 of Tink's ECDSA P-256
signature of the raw body (5-byte Tink prefix + DER), made with a keyset of this process whose public
half the keyset route serves (kept across sandbox resets, so the app's cached copy stays valid).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from devtools.sandbox.data_knobs import state_in
from devtools.sandbox.google.api import google_error
from devtools.sandbox.providers.delivery import add_day, deliver
from devtools.sandbox.providers.fitbit.accounts import ACCOUNTS
from devtools.sandbox.providers.fitbit.knobs import health_state
from devtools.sandbox.web import Request, Response, Router, json_response

SUBSCRIBERS = "/googlehealth/v4/projects/{project}/subscribers"
KEYSET_PATH = "/gstatic/googlehealthapi/webhooks/webhooks_public_keyset.json"
SUBSCRIBER_ID = re.compile(r"^[a-z]([a-z0-9-]{2,34}[a-z0-9])$")
WEBHOOK_TYPES = frozenset({
    "active-zone-minutes", "activity-level", "altitude", "blood-glucose", "body-fat", "calories-in-heart-rate-zone",
    "daily-heart-rate-variability", "daily-heart-rate-zones", "daily-oxygen-saturation", "daily-respiratory-rate",
    "daily-resting-heart-rate", "daily-sleep-temperature-derivations", "distance", "exercise", "floors",
    "heart-rate", "heart-rate-variability", "height", "hydration-log", "nutrition-log",
    "respiratory-rate-sleep-summary", "run-vo2-max", "sedentary-period", "sleep", "steps",
    "time-in-heart-rate-zone", "total-calories", "weight"})


class _Signer:
    """The process's signing keys (Tink, ECDSA P-256, DER, TINK prefix); the newest signs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handles: list[Any] = []

    def _newest(self) -> Any:
        import tink
        from tink import signature

        signature.register()
        if not self._handles:
            self._handles.append(tink.new_keyset_handle(signature.signature_key_templates.ECDSA_P256))
        return self._handles[-1]

    def sign(self, body: bytes) -> str:
        """Return the signature header value of `body`."""
        from tink import signature

        with self._lock:
            signer = self._newest().primitive(signature.PublicKeySign)
        return base64.b64encode(signer.sign(body)).decode()

    def public_json(self) -> str:
        """Return the public keys in Tink's JSON keyset format, the newest as primary."""
        import tink

        with self._lock:
            newest = self._newest()
            parts = [json.loads(tink.json_proto_keyset_format.serialize_without_secret(handle.public_keyset_handle()))
                     for handle in self._handles]
        primary = json.loads(tink.json_proto_keyset_format.serialize_without_secret(newest.public_keyset_handle()))
        return json.dumps({"primaryKeyId": primary["primaryKeyId"], "key": [k for part in parts for k in part["key"]]})

    def rotate(self) -> None:
        """Sign with a new key from now on (the old one stays published)."""
        import tink
        from tink import signature

        with self._lock:
            self._newest()
            self._handles.append(tink.new_keyset_handle(signature.signature_key_templates.ECDSA_P256))


SIGNER = _Signer()


@dataclass
class Subscriber:
    """One subscriber of the project (its secret kept to send with notifications)."""

    name: str
    endpoint_uri: str
    configs: list[dict[str, Any]]
    secret: str
    state: str = "ACTIVE"

    def shown(self) -> dict[str, Any]:
        """Return the subscriber as the API shows it (the secret is write-only)."""
        return {"name": self.name, "endpointUri": self.endpoint_uri, "subscriberConfigs": self.configs,
                "endpointAuthorization": {"secretSet": True}, "state": self.state}


@dataclass
class Subscribers:
    """The project's subscribers, kept in `state.extras`."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    items: dict[str, Subscriber] = field(default_factory=dict)


def _subscribers(req: Request) -> Subscribers:
    return state_in(req.state.extras, "health_webhooks", Subscribers)


def _verified(uri: str, secret: str) -> bool:
    """Run the two-request verification: with the secret 200/201, without 401/403."""
    body = json.dumps({"type": "verification"}).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "Google-Health-API-Webhooks-Verifier"}
    with_secret, _ = deliver("POST", uri, body, {**headers, "Authorization": secret})
    without, _ = deliver("POST", uri, body, headers)
    return with_secret in (200, 201) and without in (401, 403)


def _checked(body: Any, *, partial: bool) -> tuple[str, list[dict[str, Any]], str] | Response:
    if not isinstance(body, dict):
        return google_error(400, "Invalid JSON payload.")
    uri = body.get("endpointUri")
    secret = (body.get("endpointAuthorization") or {}).get("secret")
    configs = body.get("subscriberConfigs") or []
    if not partial and (not isinstance(uri, str) or not secret):
        return google_error(400, "endpointUri and endpointAuthorization.secret are required.")
    for config in configs:
        types = config.get("dataTypes") if isinstance(config, dict) else None
        if not types or any(t not in WEBHOOK_TYPES for t in types) or \
                config.get("subscriptionCreatePolicy") not in ("AUTOMATIC", "MANUAL"):
            return google_error(400, "Request contains an invalid argument.")
    return uri, configs, secret


def _collection(req: Request) -> Response:
    if not req.bearer():
        return google_error(401, "Request is missing required authentication credential.")
    store = _subscribers(req)
    prefix = f"projects/{req.params['project']}/subscribers/"
    if req.method == "GET":
        with store.lock:
            found = [item.shown() for item in store.items.values() if item.name.startswith(prefix)]
        return json_response(200, {"subscribers": found, "totalSize": len(found)})
    subscriber_id = req.arg("subscriberId") or ""
    if not SUBSCRIBER_ID.match(subscriber_id):
        return google_error(400, "Invalid subscriberId.")
    checked = _checked(req.json(), partial=False)
    if isinstance(checked, Response):
        return checked
    uri, configs, secret = checked
    with store.lock:
        if prefix + subscriber_id in store.items:
            return google_error(409, "Subscriber already exists.")
    if not _verified(uri, secret):
        return google_error(400, "Endpoint verification failed.", status_name="FAILED_PRECONDITION")
    item = Subscriber(prefix + subscriber_id, uri, configs, secret)
    with store.lock:
        store.items[item.name] = item
    return json_response(200, {"name": f"operations/{uuid.uuid4()}", "done": True, "response": item.shown()})


def _item(req: Request) -> Response:
    if not req.bearer():
        return google_error(401, "Request is missing required authentication credential.")
    store = _subscribers(req)
    name = f"projects/{req.params['project']}/subscribers/{req.params['id']}"
    with store.lock:
        item = store.items.get(name)
    if item is None:
        return google_error(404, "Subscriber not found.")
    checked = _checked(req.json(), partial=True)
    if isinstance(checked, Response):
        return checked
    uri, configs, secret = checked
    mask = set((req.arg("updateMask") or "").split(","))
    uri = uri if "endpointUri" in mask and uri else item.endpoint_uri
    secret = secret if "endpointAuthorization" in mask and secret else item.secret
    if (uri, secret) != (item.endpoint_uri, item.secret) and not _verified(uri, secret):
        return google_error(400, "Endpoint verification failed.", status_name="FAILED_PRECONDITION")
    with store.lock:
        item.endpoint_uri, item.secret = uri, secret
        if "subscriberConfigs" in mask:
            item.configs = configs
    return json_response(200, item.shown())


def _keyset(req: Request) -> Response:
    return Response(200, SIGNER.public_json().encode(), (("Cache-Control", "public, max-age=3600"),))


def _rotate(req: Request) -> Response:
    SIGNER.rotate()
    return json_response(200, {"rotated": True})


def notification(user: str, data_type: str, start: datetime, end: datetime, operation: str = "UPSERT") -> bytes:
    """Return a notification body (compact JSON) for one interval."""
    def civil(moment: datetime) -> dict[str, Any]:
        return {"date": {"year": moment.year, "month": moment.month, "day": moment.day},
                "time": {"hours": moment.hour, "minutes": moment.minute}}

    data = {"version": "1", "clientProvidedSubscriptionName": str(uuid.uuid4()),
            "healthUserId": ACCOUNTS[user].health_user_id, "operation": operation, "dataType": data_type,
            "intervals": [{
                "physicalTimeInterval": {"startTime": _z(start), "endTime": _z(end)},
                "civilDateTimeInterval": {"startDateTime": civil(start), "endDateTime": civil(end)},
                "civilIso8601TimeInterval": {"startTime": start.strftime("%Y-%m-%dT%H:%M:%S"),
                                             "endTime": end.strftime("%Y-%m-%dT%H:%M:%S")}}]}
    return json.dumps({"data": data}, separators=(",", ":")).encode()


def _z(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def signed_headers(body: bytes, secret: str) -> dict[str, str]:
    """Return the headers Google sends with a notification body."""
    return {"Content-Type": "application/json", "Authorization": secret,
            "GOOGLE-HEALTH-API-SIGNATURE": SIGNER.sign(body)}


def _new_day(req: Request) -> Response:
    body = req.json() or {}
    user, burst, operation = body.get("user"), body.get("burst", 1), body.get("operation", "UPSERT")
    account = ACCOUNTS.get(user or "")
    if account is None or not account.google_health_linked or not isinstance(burst, int) or not 1 <= burst <= 1000 \
            or operation not in ("UPSERT", "DELETE"):
        return json_response(400, {"error": "give a demo user with a Google Health profile, a burst of 1-1000"
                                            " and an operation UPSERT or DELETE"})
    start, end = add_day(health_state(req.state.extras))
    store = _subscribers(req)
    with store.lock:
        targets = [(item.endpoint_uri, item.secret, sorted({t for c in item.configs for t in c["dataTypes"]
                                                            if c.get("subscriptionCreatePolicy") == "AUTOMATIC"}))
                   for item in store.items.values()]
    statuses: dict[str, int] = {}
    step = (end - start) / burst
    for uri, secret, types in targets:
        for data_type in types:
            for index in range(burst):
                raw = notification(user, data_type, start + step * index, start + step * (index + 1), operation)
                status, _ = deliver("POST", uri, raw, signed_headers(raw, secret))
                statuses[str(status)] = statuses.get(str(status), 0) + 1
    return json_response(200, {"day_start": start.isoformat(), "day_end": end.isoformat(),
                               "sent": sum(statuses.values()), "answers": statuses})


def register(router: Router) -> None:
    """Add the subscriber API, the public keyset and the control routes."""
    router.add("GET POST", SUBSCRIBERS, _collection, name="googlehealth.subscribers")
    router.add("PATCH", SUBSCRIBERS + "/{id}", _item, name="googlehealth.subscribers")
    router.add("GET", KEYSET_PATH, _keyset, name="googlehealth.webhook_keyset")
    router.add("POST", "/_sandbox/fitbit/new-day", _new_day, name="_sandbox")
    router.add("POST", "/_sandbox/fitbit/webhook-key/rotate", _rotate, name="_sandbox")
