"""Withings' notify service and its notifications (docs/providers/withings.md 8).

    POST /withings/notify  action=subscribe | list | get | revoke   withings.notify (user's bearer token)
    GET  /_sandbox/withings/subscriptions                           every subscription, for tests and the demo
    POST /_sandbox/withings/new-day {"user"}                        one more day of data, then one form POST
                                                                    per subscription of the user

Subscriptions are per user, category (`appli`) and callback URL. `subscribe` first sends a HEAD to
the callback URL and fails unless it answers 2xx (8.2); subscribing twice, revoking what does not
exist and a category outside the scopes granted fail with a non-zero status (Withings documents no
codes for these: 293, 294 and 403 here). Loopback `http` URLs are accepted (the "dev" switch of 8.3).
Notifications are unsigned form bodies: `userid`, `appli` and `startdate`/`enddate` (epoch seconds) or,
for activity (16), `date` (8.5). Revoking the grant also deletes the user's subscriptions (`oauth.py`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import urlencode

from devtools.sandbox.data_knobs import state_in
from devtools.sandbox.oauth.forms import first
from devtools.sandbox.providers.delivery import Deliveries, add_day, deliver
from devtools.sandbox.providers.withings.accounts import WITHINGS_USER_IDS, user_id
from devtools.sandbox.providers.withings.api import authorised
from devtools.sandbox.providers.withings.envelope import INVALID_PARAMS, NOT_ALLOWED, error, ok
from devtools.sandbox.providers.withings.knobs import withings_state
from devtools.sandbox.state import SandboxState
from devtools.sandbox.web import Request, Response, Router, json_response

CALLBACK_FAILED, ALREADY_SUBSCRIBED, NO_SUCH_SUBSCRIPTION = 293, 294, 294
# Category -> the scope it needs (8.4).
SCOPE_OF = {1: "user.metrics", 2: "user.metrics", 4: "user.metrics", 54: "user.metrics", 58: "user.metrics",
            16: "user.activity", 44: "user.activity", 46: "user.info"}
NEVER = 2147483647


@dataclass(frozen=True)
class Subscription:
    """One subscription of a user's category to a callback URL."""

    user: str
    appli: int
    callbackurl: str
    comment: str | None


class Subscriptions:
    """Every user's subscriptions, kept in `state.extras`."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: dict[tuple[str, int, str], Subscription] = {}

    def of(self, user: str) -> list[Subscription]:
        """Return a user's subscriptions."""
        with self.lock:
            return [item for item in self.items.values() if item.user == user]

    def drop_user(self, user: str) -> int:
        """Delete a user's subscriptions (the grant was revoked); return how many."""
        with self.lock:
            gone = [key for key in self.items if key[0] == user]
            for key in gone:
                del self.items[key]
            return len(gone)


def subscriptions_in(state: SandboxState) -> Subscriptions:
    """Return the subscriptions kept in the sandbox state."""
    return state_in(state.extras, "withings_notify", Subscriptions)


def _shown(item: Subscription) -> dict:
    return {"appli": item.appli, "callbackurl": item.callbackurl, "comment": item.comment, "expires": NEVER}


def _checked(url: str) -> bool:
    """Run Withings' check of the callback: a HEAD answered 2xx."""
    status, _ = deliver("HEAD", url)
    return 200 <= status < 300


def notify(req: Request) -> Response:
    """Answer POST /notify: subscribe, list, get or revoke for the bearer's user."""
    form = req.form()
    action = first(form, "action") or ""
    req.count(action or "none")
    info = authorised(req)
    if isinstance(info, Response):
        return info
    user, store = info.grant.user, subscriptions_in(req.state)
    appli_text, url = first(form, "appli") or "", first(form, "callbackurl") or ""
    appli = int(appli_text) if appli_text.isdigit() else None
    if action == "list":
        return ok({"profiles": [_shown(item) for item in store.of(user) if appli is None or item.appli == appli]})
    if action not in ("subscribe", "get", "revoke"):
        return error(INVALID_PARAMS, "Invalid Params: unknown action")
    if appli not in SCOPE_OF or not url:
        return error(INVALID_PARAMS, "Invalid Params: appli and callbackurl are required")
    key = (user, appli, url)
    with store.lock:
        found = store.items.get(key)
    if action == "get":
        return ok(_shown(found)) if found else error(NO_SUCH_SUBSCRIPTION, "No such subscription")
    if action == "revoke":
        with store.lock:
            gone = store.items.pop(key, None)
        return ok({}) if gone else error(NO_SUCH_SUBSCRIPTION, "No such subscription")
    if SCOPE_OF[appli] not in info.grant.scopes:
        return error(NOT_ALLOWED, "Insufficient_scope")
    if found is not None:
        return error(ALREADY_SUBSCRIBED, "The subscription already exists")
    if not _checked(url):
        return error(CALLBACK_FAILED, "The callback URL is either absent or incorrect")
    with store.lock:
        store.items[key] = Subscription(user, appli, url, first(form, "comment"))
    return ok({})


def _listing(req: Request) -> Response:
    store = subscriptions_in(req.state)
    with store.lock:
        return json_response(200, {"subscriptions": [{"user": item.user, **_shown(item)}
                                                     for item in store.items.values()]})


def _new_day(req: Request) -> Response:
    user = (req.json() or {}).get("user")
    if user not in WITHINGS_USER_IDS:
        return json_response(400, {"error": "give a demo user"})
    start, end = add_day(withings_state(req.state.extras))
    span = {"startdate": int(start.timestamp()), "enddate": int(end.timestamp()) - 1}
    sent = Deliveries()
    for item in subscriptions_in(req.state).of(user):
        times = {"date": start.date().isoformat()} if item.appli == 16 else span
        body = urlencode({"userid": user_id(user), "appli": item.appli, **times}).encode()
        sent.send("POST", item.callbackurl, body, {"Content-Type": "application/x-www-form-urlencoded"})
    return sent.day_answer(start, end)


def register(router: Router) -> None:
    """Add the notify service, the subscription listing and the new-day control route."""
    router.add("POST", "/withings/notify", notify, name="withings.notify")
    router.add("GET", "/_sandbox/withings/subscriptions", _listing, name="_sandbox")
    router.add("POST", "/_sandbox/withings/new-day", _new_day, name="_sandbox")
