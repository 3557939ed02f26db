"""WHOOP API v2 of the demo users under `/whoop/developer` (docs/providers/whoop.md 3-6, 10).

    GET    /whoop/developer/v2/cycle                  whoop.cycle      start, end, limit, nextToken
    GET    /whoop/developer/v2/recovery               whoop.recovery
    GET    /whoop/developer/v2/activity/sleep         whoop.sleep
    GET    /whoop/developer/v2/activity/workout       whoop.workout
    GET    /whoop/developer/v2/activity/sleep/{id}    whoop.sleep_by_id
    GET    /whoop/developer/v2/cycle/{id}/recovery    whoop.cycle_recovery
    GET    /whoop/developer/v2/user/profile/basic     whoop.profile
    GET    /whoop/developer/v2/user/measurement/body  whoop.body
    DELETE /whoop/developer/v2/user/access            whoop.revoke
    GET|POST /_sandbox/whoop/config                   knobs of knobs.WhoopKnobs

Collections answer `{"records": [...], "next_token": ...}`, newest start first, at most `limit`
(default 10, above 25: 400) records a page; a record is returned when its span meets
[start, end) (a recovery's span is its sleep's). `nextToken` is only valid with the `start` and
`end` it was issued for; a snake_case `next_token` parameter is ignored. Checks run in this order:
token (401), app-wide rate limit (429), scope (401, or 403 by knob), membership (403), parameters
(400), then the data. Every answer past the token check carries the `X-RateLimit-*` headers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

from devtools.sandbox.data_knobs import config_handler, with_data_faults
from devtools.sandbox.oauth.grants import TokenInfo
from devtools.sandbox.providers.whoop import records as render
from devtools.sandbox.providers.whoop.knobs import Budget, WhoopState, whoop_state
from devtools.sandbox.providers.whoop.oauth import SERVER
from devtools.sandbox.users import find_user
from devtools.sandbox.wearer.clock import utc_day
from devtools.sandbox.wearer.profiles import Profile, profile_of
from devtools.sandbox.web import Request, Response, Router, json_response

UTC = timezone.utc
BASE = "/whoop/developer"
MAX_LIMIT, DEFAULT_LIMIT = 25, 10
Render = Callable[[Profile, date, render.Rendering], Iterator[render.Item]]


def _one(draw: Callable[[Profile, date, render.Rendering], render.Item | None]) -> Render:
    def each(profile: Profile, day: date, how: render.Rendering) -> Iterator[render.Item]:
        found = draw(profile, day, how)
        if found is not None:
            yield found
    return each


COLLECTIONS: dict[str, tuple[str, str, Render]] = {
    "v2/cycle": ("cycle", "read:cycles", _one(render.cycle)),
    "v2/recovery": ("recovery", "read:recovery", _one(render.recovery)),
    "v2/activity/sleep": ("sleep", "read:sleep", render.sleeps),
    "v2/activity/workout": ("workout", "read:workout", _one(render.workout)),
}


class _BadRequest(Exception):
    """A parameter WHOOP would refuse with 400."""


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """Answer with a small JSON error body (WHOOP documents none; see docs/providers/whoop.md 6)."""
    return json_response(status, {"error": message}, headers)


def fault_body(status: int) -> Response:
    """Return the body a status fault of a WHOOP data route answers with (429 with its headers)."""
    if status == 429:
        return error(429, "Request rejected due to rate limiting",
                     {"X-RateLimit-Limit": "100, 100;window=60, 10000;window=86400", "X-RateLimit-Remaining": "0",
                      "X-RateLimit-Reset": "37"})
    return error(status, "Sandbox fault")


def _headers(budget: Budget) -> dict[str, str]:
    if not budget.limit_header:
        return {}
    return {"X-RateLimit-Limit": budget.limit_header, "X-RateLimit-Remaining": str(budget.remaining),
            "X-RateLimit-Reset": str(budget.reset_seconds)}


def _begin(req: Request, scope: str) -> tuple[TokenInfo, WhoopState, dict[str, str]] | Response:
    """Run the checks every data call shares; return the token, state and rate headers, or the error to send."""
    token = req.bearer()
    info = req.state.grants.lookup_access_token(token) if token else None
    if info is None or info.grant.provider != SERVER:
        return error(401, "Invalid authorization", {"WWW-Authenticate": "Bearer"})
    wstate = whoop_state(req.state.extras)
    budget = wstate.spend(info.grant.client_id)
    headers = _headers(budget)
    if not budget.allowed:
        if wstate.knobs.rate_limit_retry_after:
            headers["Retry-After"] = str(budget.reset_seconds)
        return error(429, "Request rejected due to rate limiting", headers)
    if scope not in info.grant.scopes:
        return error(wstate.knobs.scope_missing_status, "Invalid authorization", headers)
    if wstate.knobs.membership_inactive:
        return error(403, "deactivated_user", headers)
    return info, wstate, headers


def _moment(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise _BadRequest(f"unreadable date-time {value!r}") from None
    return int((parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp())


def _fingerprint(path: str, start: int, end: int) -> str:
    return hashlib.sha256(f"{path}:{start}:{end}".encode()).hexdigest()[:12]


def _encode(position: int, bound: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": position, "f": bound}).encode()).decode().rstrip("=")


def _decode(token: str | None, bound: str) -> int:
    if not token:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        position = int(data["o"])
    except (ValueError, KeyError, TypeError):
        raise _BadRequest("malformed nextToken") from None
    if data.get("f") != bound or position < 0:
        raise _BadRequest("nextToken does not belong to this start and end")
    return position


def rendering(wstate: WhoopState) -> render.Rendering:
    """Return how records are drawn now."""
    knobs, now = wstate.knobs, wstate.now()
    return render.Rendering(now, utc_day(now) - timedelta(days=knobs.history_days), knobs.pending_minutes,
                            knobs.unscorable_share, knobs.zone_duration_v1_name)


def items_between(profile: Profile, draw: Render, how: render.Rendering, start: int, end: int) -> list[render.Item]:
    """Return the records `draw` renders whose span meets [start, end), newest start first."""
    first = max(how.first_day, utc_day(start) - timedelta(days=2))
    last = min(utc_day(how.now), utc_day(end) + timedelta(days=1))
    found = []
    day = first
    while day <= last:
        for item in draw(profile, day, how):
            if item.start < end and (item.end if item.end is not None else how.now) > start:
                found.append(item)
        day += timedelta(days=1)
    return sorted(found, key=lambda item: item.start, reverse=True)


def _collection(path: str, draw: Render, req: Request, wstate: WhoopState, user: str) -> dict[str, Any]:
    how = rendering(wstate)
    try:
        limit = int(req.arg("limit") or DEFAULT_LIMIT)
    except ValueError:
        raise _BadRequest("limit must be an integer") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise _BadRequest(f"limit must be between 1 and {MAX_LIMIT}")
    start = _moment(req.arg("start"))
    end = _moment(req.arg("end"))
    start = 0 if start is None else start
    end = how.now if end is None else end
    if start > end:
        raise _BadRequest("start must be before end")
    bound = _fingerprint(path, start, end)
    position = _decode(req.arg("nextToken"), bound)
    items = items_between(profile_of(user), draw, how, start, end)
    page = items[position: position + limit]
    body: dict[str, Any] = {"records": [item.body for item in page]}
    following = position + len(page)
    if following < len(items):
        body["next_token"] = _encode(following, bound)
    elif wstate.knobs.last_page_token != "absent":
        body["next_token"] = None if wstate.knobs.last_page_token == "null" else ""
    return body


def _handler(path: str, name: str, scope: str, draw: Render):  # -> Handler
    def handle(req: Request) -> Response:
        begun = _begin(req, scope)
        if isinstance(begun, Response):
            return begun
        info, wstate, headers = begun
        try:
            body = _collection(path, draw, req, wstate, info.grant.user)
        except _BadRequest as problem:
            return error(400, str(problem), headers)
        response = json_response(200, body, headers)
        return with_data_faults(req, info.grant.grant_id, wstate, response)

    handle.__doc__ = f"Answer GET /v2/{name} collection pages."
    return handle


def _single(scope: str, find: Callable[[Request, WhoopState, Profile], dict[str, Any] | None]):  # -> Handler
    def handle(req: Request) -> Response:
        begun = _begin(req, scope)
        if isinstance(begun, Response):
            return begun
        info, wstate, headers = begun
        try:
            body = find(req, wstate, profile_of(info.grant.user))
        except _BadRequest as problem:
            return error(400, str(problem), headers)
        if body is None:
            return error(404, "No resource found", headers)
        return with_data_faults(req, info.grant.grant_id, wstate, json_response(200, body, headers))

    return handle


def _sleep_by_id(req: Request, wstate: WhoopState, profile: Profile) -> dict[str, Any] | None:
    try:
        wanted = str(uuid.UUID(req.params["sleep_id"]))
    except ValueError:
        raise _BadRequest("sleepId must be a UUID") from None
    how = rendering(wstate)
    found = items_between(profile, render.sleeps, how, 0, how.now)
    return next((item.body for item in found if item.body["id"] == wanted), None)


def _cycle_recovery(req: Request, wstate: WhoopState, profile: Profile) -> dict[str, Any] | None:
    raw = req.params["cycle_id"]
    if not raw.isdigit():
        raise _BadRequest("cycleId must be an integer")
    how = rendering(wstate)
    day = date.fromordinal(int(raw) - render.user_id(profile) * 1_000_000 + 700_000) \
        if int(raw) // 1_000_000 == render.user_id(profile) else None
    found = render.recovery(profile, day, how) if day is not None and day >= how.first_day else None
    return found.body if found is not None else None


def profile(req: Request) -> Response:
    """Answer the basic profile: `user_id` (int64), email, names."""
    begun = _begin(req, "read:profile")
    if isinstance(begun, Response):
        return begun
    info, _, headers = begun
    user = find_user(info.grant.user)
    assert user is not None  # grants are only issued to sandbox users
    first, _, last = user.display_name.partition(" ")
    return json_response(200, {"user_id": render.user_id(profile_of(user.name)), "email": user.email,
                               "first_name": first, "last_name": last}, headers)


def body_measurement(req: Request) -> Response:
    """Answer the current body measurement (404 with the `body_missing` knob)."""
    begun = _begin(req, "read:body_measurement")
    if isinstance(begun, Response):
        return begun
    info, wstate, headers = begun
    if wstate.knobs.body_missing:
        return error(404, "No resource found", headers)
    wearer = profile_of(info.grant.user)
    return json_response(200, {"height_meter": wearer.height_m, "weight_kilogram": wearer.weight_kg,
                               "max_heart_rate": wearer.max_heart_rate}, headers)


def revoke(req: Request) -> Response:
    """Revoke the grant of the bearer token: 204, or 401 for a dead token."""
    token = req.bearer()
    info = req.state.grants.lookup_access_token(token) if token else None
    if info is None or info.grant.provider != SERVER:
        return error(401, "Invalid authorization", {"WWW-Authenticate": "Bearer"})
    req.state.grants.revoke_grant(info.grant.grant_id)
    return Response(204, b"", (), "text/plain")


def register(router: Router) -> None:
    """Add the collections, the webhook routes, the single-record routes, profile, body, revocation and the knob route."""
    from devtools.sandbox.providers.whoop import webhooks

    for path, (name, scope, draw) in COLLECTIONS.items():
        router.add("GET", f"{BASE}/{path}", _handler(path, name, scope, draw), name=f"whoop.{name}",
                   fault_body=fault_body)
    router.add("GET", f"{BASE}/v2/activity/sleep/{{sleep_id}}", _single("read:sleep", _sleep_by_id),
               name="whoop.sleep_by_id", fault_body=fault_body)
    router.add("GET", f"{BASE}/v2/cycle/{{cycle_id}}/recovery", _single("read:recovery", _cycle_recovery),
               name="whoop.cycle_recovery", fault_body=fault_body)
    router.add("GET", f"{BASE}/v2/user/profile/basic", profile, name="whoop.profile", fault_body=fault_body)
    router.add("GET", f"{BASE}/v2/user/measurement/body", body_measurement, name="whoop.body",
               fault_body=fault_body)
    router.add("DELETE", f"{BASE}/v2/user/access", revoke, name="whoop.revoke", fault_body=fault_body)
    router.add("GET POST", "/_sandbox/whoop/config", config_handler(whoop_state), name="_sandbox")
    webhooks.register(router)
