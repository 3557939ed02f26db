"""Google Fit REST data: dataSources, datasets.get, dataset:aggregate and sessions.list.

    GET  /googlefit/fitness/v1/users/{user}/dataSources                          googlefit.datasources
    GET  /googlefit/fitness/v1/users/{user}/dataSources/{id}                     googlefit.datasource
    GET  /googlefit/fitness/v1/users/{user}/dataSources/{id}/datasets/{range}    googlefit.datasets
    POST /googlefit/fitness/v1/users/{user}/dataset:aggregate                    googlefit.aggregate
    GET  /googlefit/fitness/v1/users/{user}/sessions                             googlefit.sessions
    GET|POST /_sandbox/googlefit/config    knobs of google_fit_knobs.FitKnobs ({"end_of_service": "gone"})

Reference: docs/providers/google_fit.md 3 and 5, checklist in 7. Checks run in this order: end of
service, token (401), per-token rate limit (429), user (400), then the request itself (400) and the
scope of each data type it reads (403; an aggregate fails as a whole).
Data is synthetic (days.py, minutes.py and the modules they feed), the same for every read. Generic
faults (429 with or without Retry-After, 403 quota reasons, 5xx, slow, HTML, dropped connection)
use the route names above and answer in Fit's error envelope; malformed JSON, a grant revoked
mid-sync, a per-token rate limit and the end of service are knobs.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from devtools.sandbox.data_knobs import config_handler, with_data_faults
from devtools.sandbox.google.api import STATUS_NAMES, not_found
from devtools.sandbox.oauth.grants import TokenInfo
from devtools.sandbox.providers.google_fit import aggregate as aggregation
from devtools.sandbox.providers.google_fit.access import fit_error, require_fit_token
from devtools.sandbox.providers.google_fit.days import habits_of
from devtools.sandbox.providers.google_fit.knobs import FitState, fit_state
from devtools.sandbox.providers.google_fit.points import NS, dataset_page
from devtools.sandbox.providers.google_fit.sessions import modified_since, session_json, user_sessions
from devtools.sandbox.providers.google_fit.types import GMS, TYPES, FitType, source_type, user_has
from devtools.sandbox.web import Request, Response, Router, json_response

BASE = "/googlefit/fitness/v1/users/{user}"
ALL_SCOPES = frozenset(scope for fit_type in TYPES.values() for scope in fit_type.scopes)
SUNSET_MESSAGE = ("The Google Fit REST API has been turned down. Please migrate to the Google Health API. "
                  "See https://developers.google.com/health for more details.")


_QUOTA_MESSAGES = {"dailyLimitExceeded": "Daily Limit Exceeded", "quotaExceeded": "Quota Exceeded",
                   "rateLimitExceeded": "Rate Limit Exceeded", "userRateLimitExceeded": "User Rate Limit Exceeded"}
_PER_MINUTE = ("Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' of service "
               "'fitness.googleapis.com' for consumer 'project_number:123456789012'.")


def quota_error(status: int = 403, reason: str = "userRateLimitExceeded", headers: dict[str, str] | None = None
                ) -> Response:
    """Return a quota error: 429 RESOURCE_EXHAUSTED, or the legacy 403 of domain `usageLimits` (5.1)."""
    message = _PER_MINUTE if status == 429 else _QUOTA_MESSAGES.get(reason, "Quota Exceeded")
    body = {"error": {"code": status, "message": message,
                      "errors": [{"message": message, "domain": "usageLimits" if status == 403 else "global",
                                  "reason": reason if status == 403 else "rateLimitExceeded"}],
                      "status": STATUS_NAMES[status]}}
    return json_response(status, body, headers)


def fault_body(status: int) -> Response:
    """Return the body a status fault answers with: Fit's envelope; 429 and 403 as quota errors."""
    if status in (403, 429):
        return quota_error(status)
    if status >= 500:
        return fit_error(status, "Internal error encountered." if status == 500 else
                         "The service is currently unavailable.", "backendError")
    return fit_error(status, "Sandbox fault", "invalid")


def sunset_answer(mode: str, req: Request) -> Response:
    """Return the answer of a turned-down API (modes of the `end_of_service` knob)."""
    if mode == "not_found":
        return not_found(req)
    if mode == "forbidden":
        message = ("Fitness API has not been used in project 123456789012 before or it is disabled. Enable it by "
                   "visiting https://console.developers.google.com/apis/api/fitness.googleapis.com/overview")
        body: dict[str, Any] = {"error": {"code": 403, "message": message, "status": "PERMISSION_DENIED",
                                          "errors": [{"message": message, "domain": "usageLimits",
                                                      "reason": "accessNotConfigured"}],
                                          "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                                       "reason": "SERVICE_DISABLED", "domain": "googleapis.com",
                                                       "metadata": {"service": "fitness.googleapis.com"}}]}}
        return json_response(403, body)
    body = {"error": {"code": 410, "message": SUNSET_MESSAGE, "status": "ABORTED",
                      "errors": [{"message": SUNSET_MESSAGE, "domain": "global", "reason": "apiDeprecated"}],
                      "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                   "reason": "fitness_api_sunset", "domain": "fitness.googleapis.com",
                                   "metadata": {"HELP_CENTER_LINK": "https://developers.google.com/health"}}]}}
    return json_response(410, body)


def _bad(message: str) -> Response:
    return fit_error(400, message, "invalidArgument")


def _begin(req: Request) -> tuple[TokenInfo, FitState] | Response:
    """Run the checks every data call shares; return the token info and state, or the error to send."""
    fstate = fit_state(req.state.extras)
    ended = fstate.ended()
    if ended:
        return sunset_answer(ended, req)
    info = require_fit_token(req, ALL_SCOPES)
    if isinstance(info, Response):
        return info
    if fstate.rate_limited(info.grant.grant_id):
        return quota_error(429, headers={"Retry-After": "30"} if fstate.knobs.rate_limit_retry_after else None)
    if req.params["user"] != "me":
        return _bad("Only the user 'me' is supported.")
    return info, fstate


def _missing_scope(info: TokenInfo, fit_types: list[FitType]) -> Response | None:
    granted = set(info.grant.scopes)
    if all(granted & fit_type.scopes for fit_type in fit_types):
        return None
    return fit_error(403, "Request had insufficient authentication scopes.", "insufficientPermissions")


def _finish(req: Request, info: TokenInfo, fstate: FitState, body: Any) -> Response:
    """Answer `body` compactly, applying the truncated-JSON and mid-sync revocation knobs."""
    data = json.dumps(body, separators=(",", ":")).encode("utf-8")
    response = Response(200, data, (("Cache-Control", "no-store"),), "application/json; charset=UTF-8")
    return with_data_faults(req, info.grant.grant_id, fstate, response)


def _data_source(fit_type: FitType, source_id: str) -> dict[str, Any]:
    field = [{"name": name, "format": kind, **({"optional": True} if optional else {})}
             for name, kind, optional in fit_type.fields]
    return {"dataStreamId": source_id, "dataStreamName": source_id.rsplit(":", 1)[-1], "type": "derived",
            "dataType": {"name": fit_type.name, "field": field}, "application": {"packageName": GMS},
            "dataQualityStandard": []}


def _sources(info: TokenInfo) -> dict[str, dict[str, Any]]:
    """Return the merged/derived streams the user has and the token may see, by id (3.1)."""
    granted, habits = set(info.grant.scopes), habits_of(info.grant.user)
    return {source_id: _data_source(fit_type, source_id) for fit_type in TYPES.values()
            if granted & fit_type.scopes and user_has(habits, fit_type) for source_id in fit_type.source_ids()}


def list_sources(req: Request) -> Response:
    """Answer `dataSources.list`, optionally filtered by repeated `dataTypeName`."""
    begun = _begin(req)
    if isinstance(begun, Response):
        return begun
    info, fstate = begun
    wanted = set(req.query.get("dataTypeName", []))
    found = [source for source in _sources(info).values() if not wanted or source["dataType"]["name"] in wanted]
    return _finish(req, info, fstate, {"dataSource": found})


def get_source(req: Request) -> Response:
    """Answer `dataSources.get` (404 for a stream the user does not have)."""
    begun = _begin(req)
    if isinstance(begun, Response):
        return begun
    info, fstate = begun
    source_id = unquote(req.params["source"])
    found = _sources(info).get(source_id)
    if found is None:
        return fit_error(404, f"DataSourceId not found: {source_id}", "notFound")
    return _finish(req, info, fstate, found)


def get_dataset(req: Request) -> Response:
    """Answer `datasets.get`: points overlapping `<startNs>-<endNs>`, the newest `limit`, paging back in time."""
    begun = _begin(req)
    if isinstance(begun, Response):
        return begun
    info, fstate = begun
    source_id = unquote(req.params["source"])
    fit_type = source_type(source_id)
    if fit_type is None or not user_has(habits_of(info.grant.user), fit_type):
        return fit_error(404, f"DataSourceId not found: {source_id}", "notFound")
    first, _, last = unquote(req.params["range"]).partition("-")
    limit, token = req.arg("limit"), req.arg("pageToken")
    if not (first.isdigit() and last.isdigit()) or int(first) > int(last):
        return _bad("Invalid dataset id: expected <startTimeNanos>-<endTimeNanos>")
    if limit is not None and (not limit.isdigit() or int(limit) < 1):
        return _bad("Invalid value for limit")
    if token is not None and not token.isdigit():
        return _bad("Invalid page token")
    missing = _missing_scope(info, [fit_type])
    if missing is not None:
        return missing
    now_ms = fstate.now_ms()
    page, before = dataset_page(info.grant.user, fit_type, int(first), int(last), int(limit) if limit else 10**9,
                                int(token) if token else None, fstate.history_ms(now_ms), now_ms)
    origin = f"raw:{fit_type.name}:{habits_of(info.grant.user).sleep_app or 'com.google.android.apps.fitness'}:"
    points = [{"startTimeNanos": str(start), "endTimeNanos": str(end), "dataTypeName": fit_type.name,
               "originDataSourceId": origin,
               "value": [{"intVal": v} if type(v) is int else {"fpVal": v} if v is not None else {} for v in values],
               "modifiedTimeMillis": str(end // NS + 61_000)} for start, end, values in page]
    body: dict[str, Any] = {"minStartTimeNs": first, "maxEndTimeNs": last, "dataSourceId": source_id}
    if points or not fstate.knobs.omit_empty_points:
        body["point"] = points
    if before is not None:
        body["nextPageToken"] = str(before)
    return _finish(req, info, fstate, body)


def aggregate(req: Request) -> Response:
    """Answer `dataset:aggregate`."""
    begun = _begin(req)
    if isinstance(begun, Response):
        return begun
    info, fstate = begun
    body, knobs, user = req.json(), fstate.knobs, info.grant.user
    now_ms = fstate.now_ms()
    try:
        entries = aggregation.parse_entries(body, user)
        missing = _missing_scope(info, [entry.fit_type for entry in entries])
        if missing is not None:
            return missing
        start, end = aggregation.parse_range(body, knobs.aggregate_max_days)
        found = aggregation.buckets(body, user, start, end, now_ms, fstate.history_ms(now_ms))
    except aggregation.AggregateError as error:
        return _bad(str(error))
    answer = aggregation.answer(user, entries, found, now_ms=now_ms, history_ms=fstate.history_ms(now_ms),
                                map_val=knobs.map_val, omit_empty=knobs.omit_empty_points,
                                min_first=knobs.summary_min_first)
    return _finish(req, info, fstate, answer)


def _rfc3339(value: str | None) -> int | None:
    """Return an RFC 3339 time as epoch ms; raise ValueError when malformed."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("no zone")
    return int(parsed.timestamp() * 1000)


def list_sessions(req: Request) -> Response:
    """Answer `sessions.list`: by end time in [startTime, endTime], or by modification (sync token)."""
    begun = _begin(req)
    if isinstance(begun, Response):
        return begun
    info, fstate = begun
    try:
        start, end = _rfc3339(req.arg("startTime")), _rfc3339(req.arg("endTime"))
        kinds = {int(value) for value in req.query.get("activityType", [])}
    except ValueError:
        return _bad("Invalid value for startTime, endTime or activityType")
    deleted = (req.arg("includeDeleted") or "").lower() == "true"
    bounded = start is not None or end is not None
    if deleted and bounded:
        return _bad("includeDeleted cannot be combined with startTime or endTime")
    token = req.arg("pageToken")
    if not bounded and token is not None and not token.isdigit():
        return _bad("Invalid page token")
    missing = _missing_scope(info, [TYPES["com.google.activity.segment"]])
    if missing is not None:
        return missing
    now_ms, user = fstate.now_ms(), info.grant.user
    history = fstate.history_ms(now_ms)
    if bounded:  # a time-bounded query ignores pageToken (3.4)
        found = list(user_sessions(user, start or 0, end if end is not None else now_ms, now_ms=now_ms,
                                   history_ms=history))
    else:
        found = modified_since(user, int(token) if token else now_ms - 30 * 86_400_000, now_ms=now_ms,
                               history_ms=history)
    found = [s for s in found if not kinds or s.activity in kinds]
    if len(found) > fstate.knobs.session_limit:
        return _bad(f"Session limit of {fstate.knobs.session_limit} exceeded.")
    body: dict[str, Any] = {"session": [session_json(s) for s in found], "deletedSession": []}
    if not bounded or fstate.knobs.session_page_token:
        body["nextPageToken"] = str(now_ms)
    return _finish(req, info, fstate, body)


def register(router: Router) -> None:
    """Add the data routes, the knob route and Google's HTML 404 for unknown paths."""
    for methods, path, handler, name in (
        ("GET", BASE + "/dataSources", list_sources, "googlefit.datasources"),
        ("GET", BASE + "/dataSources/{source}", get_source, "googlefit.datasource"),
        ("GET", BASE + "/dataSources/{source}/datasets/{range}", get_dataset, "googlefit.datasets"),
        ("POST", BASE + "/dataset:aggregate", aggregate, "googlefit.aggregate"),
        ("GET", BASE + "/sessions", list_sessions, "googlefit.sessions"),
    ):
        router.add(methods, path, handler, name=name, fault_body=fault_body)
    router.add("GET POST", "/_sandbox/googlefit/config", config_handler(fit_state), name="_sandbox")
    router.add_not_found("/googlefit", not_found)
