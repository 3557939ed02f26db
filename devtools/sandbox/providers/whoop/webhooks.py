"""WHOOP's webhooks: the dashboard's URL list and signed deliveries (docs/providers/whoop.md 7).

    GET|POST /_sandbox/whoop/webhooks {"url"}      the app's webhook URLs (WHOOP's dashboard has no API);
                                                   POST adds one, `{"url": ""}` clears them
    POST     /_sandbox/whoop/new-day {"user"}      one more day of data, then one signed POST per event:
                                                   `sleep.updated` per sleep or nap, `recovery.updated`
                                                   (the id is its sleep's UUID) and `workout.updated`

Body `{user_id, id, type, trace_id}`; `X-WHOOP-Signature` is the base64 HMAC-SHA256 with the client
secret over `X-WHOOP-Signature-Timestamp` (milliseconds) + the raw body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid

from devtools.sandbox.data_knobs import state_in
from devtools.sandbox.providers.delivery import Deliveries, add_day
from devtools.sandbox.providers.whoop.accounts import WHOOP_USER_IDS
from devtools.sandbox.providers.whoop.api import COLLECTIONS, items_between, rendering
from devtools.sandbox.providers.whoop.knobs import whoop_state
from devtools.sandbox.wearer.profiles import profile_of
from devtools.sandbox.web import Request, Response, Router, json_response

CLIENT_SECRET = "sandbox-whoop-secret"
# What a new day announces: the kind of event and the collection it comes from.
EVENT_SOURCES = (("sleep", "v2/activity/sleep"), ("recovery", "v2/recovery"), ("workout", "v2/activity/workout"))


class WebhookUrls:
    """The URLs configured in the imitated dashboard, kept in `state.extras`."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.urls: list[str] = []


def _urls(req: Request) -> WebhookUrls:
    return state_in(req.state.extras, "whoop_webhooks", WebhookUrls)


def signed_headers(body: bytes, timestamp_ms: int | None = None, secret: str = CLIENT_SECRET) -> dict[str, str]:
    """Return the headers WHOOP sends with a notification body."""
    stamp = str(int(time.time() * 1000) if timestamp_ms is None else timestamp_ms)
    mac = hmac.new(secret.encode(), stamp.encode() + body, hashlib.sha256).digest()
    return {"Content-Type": "application/json", "X-WHOOP-Signature": base64.b64encode(mac).decode(),
            "X-WHOOP-Signature-Timestamp": stamp}


def event(user: str, record_id: str, kind: str) -> bytes:
    """Return the body of one event of a demo user (a fresh trace id)."""
    return json.dumps({"user_id": WHOOP_USER_IDS[user], "id": record_id, "type": kind,
                       "trace_id": str(uuid.uuid4())}, separators=(",", ":")).encode()


def _configure(req: Request) -> Response:
    store = _urls(req)
    if req.method == "POST":
        url = (req.json() or {}).get("url")
        if not isinstance(url, str):
            return json_response(400, {"error": "give a url (\"\" clears them)"})
        with store.lock:
            store.urls[:] = [*store.urls, url] if url else []
    with store.lock:
        return json_response(200, {"urls": list(store.urls)})


def _new_day(req: Request) -> Response:
    user = (req.json() or {}).get("user")
    if user not in WHOOP_USER_IDS:
        return json_response(400, {"error": "give a demo user"})
    wstate = whoop_state(req.state.extras)
    start, end = add_day(wstate)
    how, profile = rendering(wstate), profile_of(user)
    first, last = int(start.timestamp()), int(end.timestamp())
    events = [(item.body["sleep_id" if kind == "recovery" else "id"], f"{kind}.updated")
              for kind, path in EVENT_SOURCES for item in items_between(profile, COLLECTIONS[path][2], how, first, last)]
    with _urls(req).lock:
        targets = list(_urls(req).urls)
    sent = Deliveries()
    for url in targets:
        for record_id, kind in events:
            raw = event(user, record_id, kind)
            sent.send("POST", url, raw, signed_headers(raw))
    return sent.day_answer(start, end)


def register(router: Router) -> None:
    """Add the dashboard's URL list and the new-day control route."""
    router.add("GET POST", "/_sandbox/whoop/webhooks", _configure, name="_sandbox")
    router.add("POST", "/_sandbox/whoop/new-day", _new_day, name="_sandbox")
