"""Withings' data services for the demo users (docs/providers/withings.md 3, 4, 9).

    POST /withings/measure      action=getmeas                        withings.measure
    POST /withings/v2/measure   action=getactivity | getworkouts      withings.v2.measure
                                | getintradayactivity
    POST /withings/v2/sleep     action=getsummary | get               withings.v2.sleep
    GET|POST /_sandbox/withings/config                                knobs of knobs.WithingsKnobs

Form parameters in the body (the query string is read too); bearer token. Every answer is an
envelope with HTTP 200: status 401 for a bad token, 403 for a scope not granted, 601 over the
app-wide rate limit, 503 for invalid parameters (an unknown action, `lastupdate` together with
dates). Ranges: `startdate`/`enddate` (epoch) for getmeas, `startdateymd`/`enddateymd` (local
days, both inclusive) elsewhere, or `lastupdate` (rows modified after it). Sleep `get` and
getintradayactivity take epoch dates only, no `lastupdate` and no paging; intraday answers the
first 24 hours after `startdate` of a longer range, and the last 24 hours without dates.
`more`/`offset` paging: an integer `more` for getmeas, a boolean elsewhere. Generic faults use the route names;
each call is also counted as `<route name>:<action>`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from devtools.sandbox.data_knobs import config_handler, with_data_faults
from devtools.sandbox.oauth.grants import TokenInfo
from devtools.sandbox.providers.withings import render
from devtools.sandbox.providers.withings.envelope import (
    INVALID_PARAMS,
    INVALID_TOKEN,
    NOT_ALLOWED,
    TOO_MANY_REQUESTS,
    error,
    fault_body,
    ok,
)
from devtools.sandbox.providers.withings.intraday import intraday_series
from devtools.sandbox.providers.withings.knobs import WithingsState, withings_state
from devtools.sandbox.providers.withings.oauth import SERVER, note_access_token_used
from devtools.sandbox.wearer.profiles import UTC, Profile, profile_of
from devtools.sandbox.web import Request, Response, Router


class ParamError(ValueError):
    """A request parameter Withings would refuse (status 503)."""


@dataclass(frozen=True)
class Range:
    """What a call asks for: rows by measurement time or local day, or rows modified after an instant."""

    first: float | None = None
    last: float | None = None
    first_day: date | None = None
    last_day: date | None = None
    lastupdate: int | None = None


def _param(req: Request, form: dict[str, list[str]], name: str) -> str | None:
    values = form.get(name)
    return values[0] if values else req.arg(name)


def _int(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise ParamError(f"Invalid Params: {name}") from None


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ParamError(f"Invalid Params: {name}") from None


def read_range(req: Request, form: dict[str, list[str]], by_day: bool) -> Range:
    """Read the range parameters; `lastupdate` together with dates is refused."""
    lastupdate = _int(_param(req, form, "lastupdate"), "lastupdate")
    names = ("startdateymd", "enddateymd") if by_day else ("startdate", "enddate")
    given = [_param(req, form, name) for name in names]
    if lastupdate is not None and any(v is not None for v in given):
        raise ParamError("Invalid Params: lastupdate cannot be used with dates")
    if lastupdate is not None:
        return Range(lastupdate=lastupdate)
    if by_day:
        return Range(first_day=_day(given[0], names[0]), last_day=_day(given[1], names[1]))
    return Range(first=_int(given[0], names[0]), last=_int(given[1], names[1]))


def _days(profile: Profile, first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _history(state: WithingsState) -> tuple[int, date, date]:
    now = state.now()
    today = datetime.fromtimestamp(now, UTC).date()
    return now, today - timedelta(days=state.knobs.history_days), today


def _bounded(rng: Range, state: WithingsState) -> tuple[date, date]:
    """Return the person-days to render for a range (a day either side for zones)."""
    now, oldest, today = _history(state)
    if rng.lastupdate is not None:
        first = datetime.fromtimestamp(max(rng.lastupdate, 0), UTC).date() - timedelta(days=2)
        return max(first, oldest), today
    if rng.first_day or rng.last_day:
        first, last = rng.first_day or today - timedelta(days=1), rng.last_day or today
    else:
        first = datetime.fromtimestamp(rng.first, UTC).date() if rng.first is not None else oldest
        last = datetime.fromtimestamp(rng.last, UTC).date() if rng.last is not None else today
    return max(first - timedelta(days=1), oldest), min(last + timedelta(days=1), today)


def _wanted(row: dict[str, Any], rng: Range, now: int, instant_key: str, day_key: str | None) -> bool:
    if row.get(instant_key, 0) > now or row.get("modified", 0) > now:
        return False
    if rng.lastupdate is not None:
        return row["modified"] > rng.lastupdate
    if day_key is not None and (rng.first_day or rng.last_day):
        day = date.fromisoformat(row[day_key])
        return (rng.first_day is None or day >= rng.first_day) and (rng.last_day is None or day <= rng.last_day)
    at = row[instant_key]
    return (rng.first is None or at >= rng.first) and (rng.last is None or at <= rng.last)


def _measures(profile: Profile, rng: Range, state: WithingsState, req: Request, form: dict[str, list[str]]
              ) -> list[dict[str, Any]]:
    if _param(req, form, "category") not in (None, "1"):
        return []
    kinds = _param(req, form, "meastypes") or _param(req, form, "meastype")
    wanted = {int(k) for k in kinds.split(",") if k.strip().isdigit()} if kinds else None
    first, last = _bounded(rng, state)
    rows = []
    for day in _days(profile, first, last):
        for group in render.measure_groups(profile, day):
            if _wanted(group, rng, state.now(), "date", None):
                measures = [m for m in group["measures"] if wanted is None or m["type"] in wanted]
                if measures:
                    rows.append({**group, "measures": measures})
    return sorted(rows, key=lambda g: g["date"])


def _daily(kind: str) -> Callable[[Profile, Range, WithingsState, Request, dict[str, list[str]]], list[dict[str, Any]]]:
    def rows(profile: Profile, rng: Range, state: WithingsState, req: Request, form: dict[str, list[str]]
             ) -> list[dict[str, Any]]:
        first, last = _bounded(rng, state)
        out = []
        for day in _days(profile, first - timedelta(days=1), last):
            if kind == "activity":
                row: dict[str, Any] | None = render.activity(profile, day)
                found = row is not None and _wanted(row, rng, state.now(), "modified", "date")
            elif kind == "workouts":
                row = render.workout(profile, day)
                found = row is not None and _wanted(row, rng, state.now(), "enddate", "date")
            else:
                row = render.sleep_summary(profile, day)
                found = _wanted(row, rng, state.now(), "enddate", "date")
            if found and row is not None:
                out.append(row)
        return out

    return rows


def _segments(profile: Profile, rng: Range, state: WithingsState, req: Request, form: dict[str, list[str]]
              ) -> list[dict[str, Any]]:
    """Return the sleep segments starting in [startdate, enddate], the range cut to 24 hours."""
    if rng.lastupdate is not None or rng.first is None or rng.last is None:
        raise ParamError("Invalid Params: startdate and enddate are required")
    last = min(rng.last, rng.first + 86400, state.now())
    first_day = datetime.fromtimestamp(rng.first, UTC).date() - timedelta(days=1)
    return [segment for day in _days(profile, first_day, datetime.fromtimestamp(last, UTC).date())
            for segment in render.sleep_segments(profile, day) if rng.first <= segment["startdate"] <= last
            and segment["enddate"] <= state.now()]


DAY = 86400


def _intraday(profile: Profile, rng: Range, state: WithingsState, req: Request, form: dict[str, list[str]]
              ) -> dict[str, Any]:
    """Return the samples of [startdate, enddate], cut to the first 24 hours; the last 24 hours without dates."""
    if rng.lastupdate is not None:
        raise ParamError("Invalid Params: lastupdate is not a parameter of getintradayactivity")
    now, oldest, _ = _history(state)
    last = rng.last if rng.last is not None else now if rng.first is None else rng.first + DAY
    first = rng.first if rng.first is not None else last - DAY
    if first > last:
        raise ParamError("Invalid Params: enddate is before startdate")
    first = max(first, int(datetime(oldest.year, oldest.month, oldest.day, tzinfo=UTC).timestamp()))
    fields = _param(req, form, "data_fields")
    wanted = frozenset(f.strip() for f in fields.split(",")) if fields else None
    return intraday_series(profile, first, min(last, first + DAY, now), wanted)


@dataclass(frozen=True)
class ActionSpec:
    """One data action: its scope, date style, list key, paging style and rows (a `series` object when unpaged)."""

    name: str
    scope: str
    by_day: bool
    key: str
    integer_more: bool
    rows: Callable[[Profile, Range, WithingsState, Request, dict[str, list[str]]], Any]
    paged: bool = True


SERVICES: dict[str, dict[str, ActionSpec]] = {
    "measure": {"getmeas": ActionSpec("getmeas", "user.metrics", False, "measuregrps", True, _measures)},
    "v2/measure": {
        "getactivity": ActionSpec("getactivity", "user.activity", True, "activities", False, _daily("activity")),
        "getworkouts": ActionSpec("getworkouts", "user.activity", True, "series", False, _daily("workouts")),
        "getintradayactivity": ActionSpec("getintradayactivity", "user.activity", False, "series", False, _intraday,
                                          paged=False),
    },
    "v2/sleep": {"getsummary": ActionSpec("getsummary", "user.activity", True, "series", False, _daily("sleep")),
                 "get": ActionSpec("get", "user.activity", False, "series", False, _segments, paged=False)},
}


def _page(spec: ActionSpec, rows: Any, offset: int, state: WithingsState) -> dict[str, Any]:
    if not spec.paged:  # no paging documented for sleep `get` and intraday activity
        return {spec.key: rows, "model": 16} if spec.name == "get" else {spec.key: rows}
    size = state.knobs.page_size
    page = rows[offset: offset + size]
    more = offset + size < len(rows)
    body: dict[str, Any] = {spec.key: page}
    if spec.name == "getmeas":
        body = {"updatetime": state.now(), "timezone": "UTC", **body}
        if more or offset or not state.knobs.getmeas_paging_absent:
            body.update(more=int(more), offset=offset + len(page) if more else 0)
    else:
        body.update(more=more, offset=offset + len(page) if more else 0)
    return body


def authorised(req: Request) -> TokenInfo | Response:
    """Return the grant of the request's bearer token, or the answer refusing it (status 401)."""
    token = req.bearer()
    info = req.state.grants.lookup_access_token(token) if token else None
    if info is None or info.grant.provider != SERVER:
        return error(INVALID_TOKEN, "XRequestID: Not provided invalid_token: The access token provided is invalid")
    note_access_token_used(req.state, token)
    return info


def _service(path: str) -> Callable[[Request], Response]:
    actions = SERVICES[path]

    def handle(req: Request) -> Response:
        form = req.form() if req.method == "POST" else {}
        spec = actions.get(_param(req, form, "action") or "")
        if spec is None:
            return error(INVALID_PARAMS, "Invalid Params: unknown action")
        req.count(spec.name)
        state = withings_state(req.state.extras)
        info = authorised(req)
        if isinstance(info, Response):
            return info
        if spec.scope not in info.grant.scopes:
            return error(NOT_ALLOWED, "Insufficient_scope")
        if state.app_rate_limited(info.grant.client_id):
            return error(TOO_MANY_REQUESTS, "Too many request")
        fault = state.take_status_fault()
        if fault is not None:
            return with_data_faults(req, info.grant.grant_id, state, error(fault, "Sandbox status fault"))
        try:
            rng = read_range(req, form, spec.by_day)
            offset = _int(_param(req, form, "offset"), "offset") or 0
        except ParamError as refused:
            return error(INVALID_PARAMS, str(refused))
        try:
            rows = spec.rows(profile_of(info.grant.user), rng, state, req, form)
        except ParamError as refused:
            return error(INVALID_PARAMS, str(refused))
        return with_data_faults(req, info.grant.grant_id, state, ok(_page(spec, rows, offset, state)))

    handle.__doc__ = f"Answer POST /{path}."
    return handle


def register(router: Router) -> None:
    """Add the data services, the notify service and the knob route."""
    from devtools.sandbox.providers.withings import notify

    for path in SERVICES:
        router.add("GET POST", f"/withings/{path}", _service(path), name=f"withings.{path.replace('/', '.')}",
                   fault_body=fault_body)
    router.add("GET POST", "/_sandbox/withings/config", config_handler(withings_state), name="_sandbox")
    notify.register(router)
