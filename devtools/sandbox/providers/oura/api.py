"""Oura API v2 data collections of the demo users (docs/providers/oura.md 3-6, 10).

    GET /oura/v2/usercollection/heartrate                 oura.heartrate   start_datetime, end_datetime
    GET /oura/v2/usercollection/<collection>              oura.<collection> start_date, end_date
        sleep, daily_sleep, daily_readiness, daily_activity, workout, session, daily_spo2,
        daily_stress, daily_resilience, daily_cardiovascular_age, vO2_max
    GET|POST /_sandbox/oura/config                        knobs of oura_knobs.OuraKnobs

Answers `{"data": [...], "next_token": str | null}`; `next_token` must come back with the same
range parameters. Checks run in this order: token (401), scope (403, or 401 by knob), membership
(403), app version (426), rate limit (429), parameters (400/422), then the data. The data is
drawn from the wearer model (plan.py, days.py, heartrate.py), generated only for the days a
request touches. Generic faults (5xx, 429 with body and headers, slow, HTML, dropped connection)
use the route names above; malformed JSON, a grant revoked mid-sync, a lapsed membership, 426,
a per-token rate limit and a maximum range are knobs.
The routes carry two path parameters (version and area) so that literal routes such as
personal_info, and single-parameter routes other modules add, take precedence.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

from devtools.sandbox.data_knobs import config_handler, with_data_faults
from devtools.sandbox.oauth.grants import TokenInfo
from devtools.sandbox.providers.oura import personal_info, webhooks
from devtools.sandbox.providers.oura.errors import RATE_LIMIT_WINDOW, fault_body, not_found, oura_error, require_oura_token
from devtools.sandbox.providers.oura.knobs import OuraState, oura_state
from devtools.sandbox.providers.oura.queries import (
    COLLECTIONS,
    CollectionSpec,
    QueryError,
    day_range,
    decode_token,
    documents,
    encode_token,
    fingerprint,
    heartrate_page,
)
from devtools.sandbox.wearer.profiles import profile_of
from devtools.sandbox.web import Request, Response, Router, json_response

UTC = timezone.utc
_EMPTY = {"data": [], "next_token": None}


def _compact(body: Any) -> Response:
    return Response(200, json.dumps(body, separators=(",", ":")).encode("utf-8"), (("Cache-Control", "no-store"),))


def _validation(field: str, message: str, value: str | None) -> QueryError:
    return QueryError(422, [{"type": "value_error", "loc": ["query", field], "msg": message, "input": value}])


def _begin(req: Request, spec: CollectionSpec) -> tuple[TokenInfo, OuraState] | Response:
    """Run the checks every data call shares; return the token and state, or the error to send."""
    if (req.params["version"], req.params["area"]) != ("v2", "usercollection"):
        return oura_error(404, "Not Found")
    info = require_oura_token(req)
    if isinstance(info, Response):
        return info
    ostate = oura_state(req.state.extras)
    knobs = ostate.knobs
    if not any(scope in info.grant.scopes for scope in spec.scopes):
        return oura_error(knobs.scope_missing_status,
                          f"The access token does not grant the '{spec.scopes[0]}' scope.")
    if knobs.membership_lapsed:
        return oura_error(403, "An active Oura Membership is required to access this data.")
    if knobs.outdated(spec.path):
        return oura_error(426, "Minimum App Version Error: update the Oura app to share this data type.")
    wait = ostate.rate_limited(info.grant.grant_id)
    if wait is not None:
        seconds = max(1, int(wait) + 1)
        headers = {"Retry-After": str(seconds), "X-RateLimit-Limit": str(knobs.rate_limit_per_window),
                   "X-RateLimit-Window": str(RATE_LIMIT_WINDOW),
                   "X-RateLimit-Reset": str(int(datetime.now(UTC).timestamp()) + seconds),
                   "X-RateLimit-Tier": "token"}
        if knobs.rate_limit_body:
            return oura_error(429, "Rate limit exceeded", headers)
        return Response(429, b"", tuple(headers.items()))
    return info, ostate


def _date(value: str | None) -> date | None:
    """Return a `YYYY-MM-DD` (or date-time) parameter as a date; raise ValueError when unreadable."""
    if value is None:
        return None
    return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value).date()


def _moment(value: str | None) -> int | None:
    """Return a date-time parameter as an epoch second (no zone: UTC); raise ValueError when unreadable."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value.replace(" ", "+"))
    return int((parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp())


def _check_range(first: float, last: float, unit: int, field: str, value: str | None, max_days: int) -> None:
    if first > last:
        raise _validation(field, "Start date must be before end date", value)
    if max_days and (last - first) / unit > max_days:
        raise QueryError(400, f"The requested range is too long: at most {max_days} days.")


def _documents(req: Request, spec: CollectionSpec, ostate: OuraState, user: str) -> dict[str, Any]:
    knobs, now = ostate.knobs, ostate.now()
    today = datetime.fromtimestamp(now, UTC).date()
    try:
        first = _date(req.arg("start_date")) or today - timedelta(days=1)
        end = _date(req.arg("end_date")) or today
    except ValueError:
        return _EMPTY  # recordings: unreadable dates answer 200 with no data
    _check_range(first.toordinal(), end.toordinal(), 1, "start_date", req.arg("start_date"), knobs.max_range_days)
    bound = fingerprint(spec.path, first, end)
    position = decode_token(req.arg("next_token"), bound) or 0
    found = documents(profile_of(user), spec, *day_range(spec, first, end, knobs), now, knobs)
    page = found[position: position + knobs.page_size]
    following = position + len(page)
    return {"data": page, "next_token": encode_token(following, bound) if following < len(found) else None}


def _heartrate(req: Request, ostate: OuraState, user: str) -> dict[str, Any]:
    knobs, now = ostate.knobs, ostate.now()
    if req.arg("start_datetime") is None and req.arg("start_date") is not None:
        return _EMPTY  # date parameters are not this route's: nothing useful comes back (4.5)
    try:
        start = _moment(req.arg("start_datetime"))
        end = _moment(req.arg("end_datetime"))
    except ValueError:
        raise _validation("start_datetime", "Input should be a valid datetime", req.arg("start_datetime")) from None
    start = now - 86400 if start is None else start
    end = now if end is None else end
    _check_range(start, end, 86400, "start_datetime", req.arg("start_datetime"), knobs.max_range_days)
    bound = fingerprint("heartrate", start, end)
    after = decode_token(req.arg("next_token"), bound)
    rows, following = heartrate_page(profile_of(user), start, end, now, after, knobs.heartrate_page_size, knobs)
    return {"data": rows, "next_token": encode_token(following, bound) if following is not None else None}


def _handler(spec: CollectionSpec):  # -> Handler
    def handle(req: Request) -> Response:
        begun = _begin(req, spec)
        if isinstance(begun, Response):
            return begun
        info, ostate = begun
        try:
            user = info.grant.user
            body = _heartrate(req, ostate, user) if spec.kind == "heartrate" else _documents(req, spec, ostate, user)
        except QueryError as error:
            return json_response(error.status, {"detail": error.detail})
        return with_data_faults(req, info.grant.grant_id, ostate, _compact(body))

    handle.__doc__ = f"Answer GET /v2/usercollection/{spec.path}."
    return handle


def register(router: Router) -> None:
    """Add personal_info, one route per collection, FastAPI-style 404s for unknown paths and the knob route."""
    router.add("GET", "/oura/v2/usercollection/personal_info", personal_info.personal_info, name="oura.personal_info",
               fault_body=fault_body)
    router.add_not_found("/oura/v2", not_found)
    for spec in COLLECTIONS.values():
        router.add("GET", f"/oura/{{version}}/{{area}}/{spec.path}", _handler(spec), name=f"oura.{spec.path}",
                   fault_body=fault_body)
    router.add("GET POST", "/_sandbox/oura/config", config_handler(oura_state), name="_sandbox")
    webhooks.register(router)
