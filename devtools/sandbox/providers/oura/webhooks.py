"""Oura's webhook subscription API and its notifications (docs/providers/oura.md 7).

    GET    /oura/v2/webhook/subscription              list (x-client-id, x-client-secret)
    POST   /oura/v2/webhook/subscription              create: verifies the callback first (GET with
                                                      verification_token and challenge)
    GET|PUT|DELETE /oura/v2/webhook/subscription/{id} get, update (verifies again), delete
    PUT    /oura/v2/webhook/subscription/renew/{id}   renew: a new expiration_time
    POST   /_sandbox/oura/new-day {"user", "burst"?}  one more day of data, then signed notifications
                                                      (create, `burst` per data type, default 1) to
                                                      every matching subscription

Subscriptions live 90 days (the figure integrators report; Oura does not document one). Signature:
upper-case hex HMAC-SHA256 with the client secret over `x-oura-timestamp` + the raw body. Unknown ids
answer 404 `{"detail": ...}` as recorded; bad bodies 422.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta, timezone

from devtools.sandbox.data_knobs import state_in
from devtools.sandbox.providers.delivery import add_day, deliver
from devtools.sandbox.providers.oura.accounts import oura_user_id
from devtools.sandbox.providers.oura.knobs import oura_state
from devtools.sandbox.web import Request, Response, Router, json_response

CLIENT_ID, CLIENT_SECRET = "sandbox-oura-client", "sandbox-oura-secret"
LIFETIME = timedelta(days=90)
EVENT_TYPES = ("create", "update", "delete")
DATA_TYPES = ("tag", "enhanced_tag", "workout", "session", "sleep", "daily_sleep", "daily_readiness",
              "daily_activity", "daily_spo2", "sleep_time", "rest_mode_period", "ring_configuration", "daily_stress",
              "daily_cycle_phases", "daily_cardiovascular_age", "daily_resilience", "vo2_max")
UTC = timezone.utc


@dataclass(frozen=True)
class Subscription:
    """One subscription (its verification token kept for the handshake)."""

    id: str
    callback_url: str
    event_type: str
    data_type: str
    expiration_time: str
    verification_token: str

    def shown(self) -> dict[str, str]:
        """Return the subscription object as the API shows it."""
        body = asdict(self)
        del body["verification_token"]
        return body


class Subscriptions:
    """The app's subscriptions, kept in `state.extras`."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: dict[str, Subscription] = {}


def _subscriptions(req: Request) -> Subscriptions:
    return state_in(req.state.extras, "oura_webhooks", Subscriptions)


def _expiry() -> str:
    return (datetime.now(UTC) + LIFETIME).isoformat(timespec="seconds").replace("+00:00", "Z")


def _client_ok(req: Request) -> bool:
    return (hmac.compare_digest(req.header("x-client-id") or "", CLIENT_ID)
            and hmac.compare_digest(req.header("x-client-secret") or "", CLIENT_SECRET))


def _verified(callback_url: str, token: str) -> bool:
    """Run Oura's handshake against the callback: 200 and the same challenge in JSON."""
    from urllib.parse import urlencode

    challenge = secrets.token_urlsafe(16)
    status, body = deliver("GET", f"{callback_url}?{urlencode({'verification_token': token, 'challenge': challenge})}")
    try:
        return status == 200 and json.loads(body).get("challenge") == challenge
    except (ValueError, AttributeError):
        return False


def _invalid(field: str, message: str) -> Response:
    return json_response(422, {"detail": [{"type": "value_error", "loc": ["body", field], "msg": message}]})


def _create(req: Request) -> Response:
    body = req.json()
    if not isinstance(body, dict):
        return _invalid("body", "Field required")
    for name in ("callback_url", "verification_token", "event_type", "data_type"):
        if not isinstance(body.get(name), str) or not body[name]:
            return _invalid(name, "Field required")
    if body["event_type"] not in EVENT_TYPES:
        return _invalid("event_type", "Input should be 'create', 'update' or 'delete'")
    if body["data_type"] not in DATA_TYPES:
        return _invalid("data_type", "Input should be a valid data type")
    if not _verified(body["callback_url"], body["verification_token"]):
        return json_response(400, {"detail": "Webhook verification failed."})
    item = Subscription(str(uuid.uuid4()), body["callback_url"], body["event_type"], body["data_type"], _expiry(),
                        body["verification_token"])
    store = _subscriptions(req)
    with store.lock:
        store.items[item.id] = item
    return json_response(201, item.shown())


def _collection(req: Request) -> Response:
    if not _client_ok(req):
        return json_response(401, {"detail": "Invalid client credentials"})
    if req.method == "POST":
        return _create(req)
    store = _subscriptions(req)
    with store.lock:
        return json_response(200, [item.shown() for item in store.items.values()])


def _item(req: Request) -> Response:
    if not _client_ok(req):
        return json_response(401, {"detail": "Invalid client credentials"})
    store = _subscriptions(req)
    key = req.params["id"]
    with store.lock:
        item = store.items.get(key)
    if item is None:
        return json_response(404, {"detail": f"Subscription with id {key} not found."})
    if req.method == "DELETE":
        with store.lock:
            store.items.pop(key, None)
        return Response(204)
    if req.method == "PUT":
        body = req.json()
        if not isinstance(body, dict) or not body.get("verification_token"):
            return _invalid("verification_token", "Field required")
        changed = replace(item, **{k: body[k] for k in ("callback_url", "event_type", "data_type") if body.get(k)},
                          verification_token=body["verification_token"])
        if not _verified(changed.callback_url, changed.verification_token):
            return json_response(400, {"detail": "Webhook verification failed."})
        item = changed
        with store.lock:
            store.items[key] = item
    return json_response(200, item.shown())


def _renew(req: Request) -> Response:
    if not _client_ok(req):
        return json_response(401, {"detail": "Invalid client credentials"})
    store = _subscriptions(req)
    with store.lock:
        item = store.items.get(req.params["id"])
        if item is None:
            return json_response(404, {"detail": f"No webhook id {req.params['id']} found."})
        item = store.items[item.id] = replace(item, expiration_time=_expiry())
    return json_response(200, item.shown())


def signed_headers(body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """Return the headers Oura sends with a notification body."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    mac = hmac.new(CLIENT_SECRET.encode(), stamp.encode() + body, hashlib.sha256).hexdigest().upper()
    return {"Content-Type": "application/json", "x-oura-signature": mac, "x-oura-timestamp": stamp}


def _new_day(req: Request) -> Response:
    body = req.json() or {}
    user, burst = body.get("user"), body.get("burst", 1)
    account = oura_user_id(user) if isinstance(user, str) else None
    if account is None or not isinstance(burst, int) or not 1 <= burst <= 1000:
        return json_response(400, {"error": "give a sandbox user and a burst of 1-1000"})
    start, end = add_day(oura_state(req.state.extras))
    store = _subscriptions(req)
    with store.lock:
        targets = [item for item in store.items.values() if item.event_type == "create"]
    statuses: dict[str, int] = {}
    step = (end - start) / burst
    for item in targets:
        for index in range(burst):
            event_time = (start + step * (index + 1)).isoformat()
            note = {"event_type": "create", "data_type": item.data_type,
                    "object_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{user}/{item.data_type}/{event_time}")),
                    "event_time": event_time, "user_id": account}
            raw = json.dumps(note, separators=(",", ":")).encode()
            status, _ = deliver("POST", item.callback_url, raw, signed_headers(raw))
            statuses[str(status)] = statuses.get(str(status), 0) + 1
    return json_response(200, {"day_start": start.isoformat(), "day_end": end.isoformat(),
                               "sent": sum(statuses.values()), "answers": statuses})


def register(router: Router) -> None:
    """Add the subscription API and the new-day control route."""
    router.add("GET POST", "/oura/v2/webhook/subscription", _collection, name="oura.webhook_subscription")
    router.add("GET PUT DELETE", "/oura/v2/webhook/subscription/{id}", _item, name="oura.webhook_subscription")
    router.add("PUT", "/oura/v2/webhook/subscription/renew/{id}", _renew, name="oura.webhook_subscription")
    router.add("POST", "/_sandbox/oura/new-day", _new_day, name="_sandbox")
