"""Google Health API data: list, reconcile, rollUp, dailyRollUp and get of `users.dataTypes.dataPoints`.

    GET  /googlehealth/v4/users/me/dataTypes/{type}/dataPoints                 googlehealth.list
    GET  /googlehealth/v4/users/me/dataTypes/{type}/dataPoints:reconcile       googlehealth.reconcile
    POST /googlehealth/v4/users/me/dataTypes/{type}/dataPoints:rollUp          googlehealth.rollup
    POST /googlehealth/v4/users/me/dataTypes/{type}/dataPoints:dailyRollUp     googlehealth.daily_rollup
    GET  /googlehealth/v4/users/{user}/dataTypes/{type}/dataPoints/{id}        googlehealth.get
    GET|POST /_sandbox/googlehealth/config    knobs of health_knobs.HealthKnobs ({"tie_drop": true})

Reference: docs/providers/fitbit.md 3 and 9. Checks run in the API's order: route, token,
scope, account state, then the request. Data is the shared wearer's (devtools/sandbox/wearer), the same
for every read. Generic faults (429 with or without Retry-After, 5xx, slow, HTML, dropped
connection) use the route names above; malformed JSON, a grant revoked mid-sync and a per-token
rate limit are knobs.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import date, datetime, timedelta
from typing import Any

from devtools.sandbox.data_knobs import config_handler, with_data_faults
from devtools.sandbox.google.api import fault_body as google_fault_body
from devtools.sandbox.google.api import google_error, not_found
from devtools.sandbox.oauth.grants import TokenInfo
from devtools.sandbox.providers.fitbit import identity, webhooks
from devtools.sandbox.providers.fitbit import queries as queries
from devtools.sandbox.providers.fitbit.access import require_health_token
from devtools.sandbox.providers.fitbit.accounts import account_of
from devtools.sandbox.providers.fitbit.filters import FilterError, parse
from devtools.sandbox.providers.fitbit.knobs import HealthState, health_state
from devtools.sandbox.providers.fitbit.records import chunk_records, chunk_seconds
from devtools.sandbox.providers.fitbit.rollups import daily_roll_up, roll_up
from devtools.sandbox.providers.fitbit.types import TYPES, HealthType
from devtools.sandbox.providers.fitbit.wire import WireOptions, parse_point_id, to_json
from devtools.sandbox.wearer.profiles import Profile, profile_of
from devtools.sandbox.web import Request, Response, Router

PREFIX = "/googlehealth"
BASE = PREFIX + "/v4/users/{user}/dataTypes/{type}/dataPoints"
_RPC = "google.devicesandservices.health.v4.DataPointsService."
_METHODS = {"list": "ListDataPoints", "reconcile": "ReconcileDataPoints", "rollUp": "RollUpDataPoints",
            "dailyRollUp": "DailyRollUpDataPoints", "get": "GetDataPoint"}


def fault_body(status: int) -> Response:
    """Return a status fault's body; 429 in the generic Google quota shape (5.5, UNCERTAIN)."""
    if status == 429:
        return _quota_error({})
    return google_fault_body(status)


def _quota_error(headers: dict[str, str]) -> Response:
    return google_error(429, "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user'.",
                        reason="RATE_LIMIT_EXCEEDED", domain="googleapis.com", headers=headers,
                        metadata={"quota_metric": "health.googleapis.com/user_requests",
                                  "quota_limit": "UserRequestsPerMinute", "quota_limit_value": "300"})


def _bad(reason: str | None, message: str) -> Response:
    return google_error(400, message, reason=reason)


def _compact(body: Any) -> Response:
    data = json.dumps(body, separators=(",", ":")).encode("utf-8")
    return Response(200, data, (("Cache-Control", "no-store"),), "application/json; charset=UTF-8")


def _begin(req: Request, method: str) -> tuple[TokenInfo, HealthType, Profile, HealthState] | Response:
    """Run the checks every data call shares; return what the handler needs or the error to send."""
    kind = TYPES.get(req.params["type"])
    scopes = kind.scopes if kind else frozenset(s for t in TYPES.values() for s in t.scopes)
    info = require_health_token(req, scopes, _RPC + _METHODS[method])
    if isinstance(info, Response):
        return info
    hstate = health_state(req.state.extras)
    if hstate.rate_limited(info.grant.grant_id):
        retry = {"Retry-After": "30"} if hstate.knobs.rate_limit_retry_after else {}
        return _quota_error(retry)
    account = account_of(info.grant.user)
    own = account.health_user_id if account else None
    if req.params["user"] != "me" and not (method == "get" and req.params["user"] == own):
        return google_error(400, "Request contains an invalid argument.")
    if kind is None:
        return _bad("INVALID_DATA_TYPE", f"Unknown data type {req.params['type']!r}.")
    if method not in kind.ops and not (method == "get" and kind.identifiable):
        return _bad("UNSUPPORTED_DATA_TYPE_ACTION", f"Data type {kind.path_id} does not support {method}.")
    return info, kind, profile_of(info.grant.user), hstate


def _arg(req: Request, camel: str, snake: str) -> str | None:
    value = req.arg(camel)
    return value if value is not None else req.arg(snake)


def list_points(req: Request) -> Response:
    """Answer `list`: every source, newest first, with `dataSource`."""
    return _points(req, "list")


def reconcile_points(req: Request) -> Response:
    """Answer `:reconcile`: one stream across sources, `dataPointName`, no `dataSource`."""
    return _points(req, "reconcile")


def _points(req: Request, method: str) -> Response:
    begun = _begin(req, method)
    if isinstance(begun, Response):
        return begun
    info, kind, profile, hstate = begun
    knobs = hstate.knobs
    filter_text = _arg(req, "filter", "filter") or ""
    try:
        if kind.path_id == "sleep" and filter_text.strip() and knobs.sleep_rejects_filters:
            raise FilterError("INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER", "Field cannot be used to filter sleep.")
        family = _arg(req, "dataSourceFamily", "data_source_family")
        query = queries.Query(method, kind, filter_text, parse(filter_text, kind),
                              queries.page_size(_arg(req, "pageSize", "page_size"), kind),
                              queries.family_sources(family, method, kind), family or "")
        listing = method == "list"
        now = hstate.now()
        found, last = queries.page(profile, query, _arg(req, "pageToken", "page_token"),
                                   descending=listing or not knobs.reconcile_oldest_first,
                                   merged=not listing and knobs.reconcile_merges_sources,
                                   tie_drop=knobs.tie_drop, now=now)
    except (FilterError, queries.QueryError) as error:
        return _bad(error.reason, str(error))
    options = WireOptions(listing, knobs.zero_as_string, knobs.nan_per_mille, now)
    items = [to_json(profile, kind, record, options) for record in found]
    token = queries.encode_token(query.fingerprint(), last) if last is not None else None
    return with_data_faults(req, info.grant.grant_id, hstate, _compact(queries.body_of(items, token, knobs.end_token_omitted)))


def _duration(value: Any) -> float | None:
    if isinstance(value, str) and value.endswith("s"):
        try:
            return float(value[:-1])
        except ValueError:
            return None
    return None


def _timestamp(value: Any) -> int | None:
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) and "T" in value else None
    except ValueError:
        return None
    return int(parsed.timestamp()) if parsed is not None and parsed.tzinfo is not None else None


def _page_of(windows: list[dict[str, Any]], body: dict[str, Any], per_page: int, fingerprint: str) -> dict[str, Any]:
    """Return one page of rollup windows (`per_page` 0: all), bound to the request by `fingerprint`."""
    start = 0
    token = body.get("pageToken") or ""
    if token:
        prefix, _, number = token.partition(".")
        if prefix != fingerprint or not number.isdigit():
            raise queries.QueryError("INVALID_PAGE_TOKEN", "The page token is invalid or does not match the request.")
        start = int(number)
    stop = start + per_page if per_page else len(windows)
    out: dict[str, Any] = {"rollupDataPoints": windows[start:stop]} if windows[start:stop] else {}
    if stop < len(windows):
        out["nextPageToken"] = f"{fingerprint}.{stop}"
    return out


def _fingerprint(body: dict[str, Any], path_id: str) -> str:
    rest = {key: value for key, value in body.items() if key != "pageToken"}
    return hashlib.sha256(json.dumps([path_id, rest], sort_keys=True).encode()).hexdigest()[:16]


def roll_up_points(req: Request) -> Response:
    """Answer `:rollUp` over physical windows (range cap 14 or 90 days)."""
    begun = _begin(req, "rollUp")
    if isinstance(begun, Response):
        return begun
    info, kind, profile, hstate = begun
    body = req.json()
    if not isinstance(body, dict):
        return google_error(400, "Invalid JSON payload received.")
    span = body.get("range") if isinstance(body.get("range"), dict) else {}
    start, end = _timestamp(span.get("startTime")), _timestamp(span.get("endTime"))
    window = _duration(body.get("windowSize"))
    cap = kind.rollup_cap_days * 86400
    if start is None or end is None:
        return _bad("INVALID_TIME_RANGE_INTERVAL_FORMAT", "range.startTime and range.endTime are required.")
    if end <= start:
        return _bad("INVALID_TIME_RANGE", "The end of the time range must be after its start.")
    if window is None or window < 1:
        return _bad("INVALID_ROLLUP_WINDOW", "windowSize must be at least 1s.")
    size = body.get("pageSize")
    if end - start > cap or (isinstance(size, int) and size > cap // window):
        return _bad("INVALID_ROLLUP_QUERY_DURATION", f"The query may cover at most {kind.rollup_cap_days} days.")
    knobs = hstate.knobs
    windows = roll_up(profile, kind.path_id, start, end, int(window), hstate.now(), knobs.zero_as_string)
    try:
        answer = _page_of(windows, body, knobs.rollup_windows_per_page, _fingerprint(body, kind.path_id))
    except queries.QueryError as error:
        return _bad(error.reason, str(error))
    return with_data_faults(req, info.grant.grant_id, hstate, _compact(answer))


def _civil_date(value: Any) -> date | None:
    day = value.get("date") if isinstance(value, dict) else None
    try:
        return date(day["year"], day["month"], day["day"]) if isinstance(day, dict) else None
    except (KeyError, TypeError, ValueError):
        return None


def daily_roll_up_points(req: Request) -> Response:
    """Answer `:dailyRollUp` over local days (end date exclusive, or inclusive by knob)."""
    begun = _begin(req, "dailyRollUp")
    if isinstance(begun, Response):
        return begun
    info, kind, profile, hstate = begun
    body = req.json()
    if not isinstance(body, dict):
        return google_error(400, "Invalid JSON payload received. Octal/hex numbers are not valid JSON values.")
    span = body.get("range") if isinstance(body.get("range"), dict) else {}
    first, last = _civil_date(span.get("start")), _civil_date(span.get("end"))
    window = body.get("windowSizeDays", 1)
    if first is None or last is None:
        return _bad("INVALID_CIVIL_DATE_TIME", "range.start.date and range.end.date are required.")
    knobs = hstate.knobs
    stop = last + timedelta(days=1) if knobs.daily_rollup_end_inclusive else last
    if not isinstance(window, int) or window < 1:
        return _bad("INVALID_ROLLUP_WINDOW", "windowSizeDays must be a positive integer.")
    if stop <= first:
        return _bad("INVALID_TIME_RANGE", "The end of the time range must be after its start.")
    days = (stop - first).days
    size = body.get("pageSize")
    if days > kind.rollup_cap_days or (isinstance(size, int) and size > kind.rollup_cap_days // window):
        return _bad("INVALID_ROLLUP_QUERY_DURATION", f"The query may cover at most {kind.rollup_cap_days} days.")
    if isinstance(size, int) and 0 < size < math.ceil(days / window):
        return _bad("INVALID_DATA_POINT_NAME", "pageSize is smaller than the number of windows.")
    windows = daily_roll_up(profile, kind.path_id, first, stop, window, hstate.now(), knobs.zero_as_string)
    try:
        answer = _page_of(windows, body, knobs.rollup_windows_per_page, _fingerprint(body, kind.path_id))
    except queries.QueryError as error:
        return _bad(error.reason, str(error))
    return with_data_faults(req, info.grant.grant_id, hstate, _compact(answer))


def get_point(req: Request) -> Response:
    """Answer `get` of an identifiable data point by its id."""
    begun = _begin(req, "get")
    if isinstance(begun, Response):
        return begun
    info, kind, profile, hstate = begun
    found = parse_point_id(req.params["point"])
    if found is not None:
        key, source = found
        size = chunk_seconds(profile, kind.path_id)
        for record in chunk_records(profile, kind.path_id, key // size * size, False):
            now = hstate.now()
            if (record[0], record[1]) == found and (record[2] or record[0]) <= now:
                options = WireOptions(True, hstate.knobs.zero_as_string, hstate.knobs.nan_per_mille, now)
                return with_data_faults(req, info.grant.grant_id, hstate, _compact(to_json(profile, kind, record, options)))
    return google_error(404, "Requested entity was not found.", reason="RESOURCE_NOT_FOUND")


def register(router: Router) -> None:
    """Add the identity and data routes, Google's HTML 404 for unknown paths, and the knob route."""
    router.add("GET", f"{PREFIX}/v4/users/me/identity", identity.identity, name="googlehealth.identity",
               fault_body=google_fault_body)
    router.add_not_found(PREFIX, not_found)
    for methods, path, handler, name in (
        ("GET", BASE, list_points, "googlehealth.list"),
        ("GET", BASE + ":reconcile", reconcile_points, "googlehealth.reconcile"),
        ("POST", BASE + ":rollUp", roll_up_points, "googlehealth.rollup"),
        ("POST", BASE + ":dailyRollUp", daily_roll_up_points, "googlehealth.daily_rollup"),
        ("GET", BASE + "/{point}", get_point, "googlehealth.get"),
    ):
        router.add(methods, path, handler, name=name, fault_body=fault_body)
    router.add("GET POST", "/_sandbox/googlehealth/config", config_handler(health_state), name="_sandbox")
    webhooks.register(router)
