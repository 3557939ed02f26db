"""The Withings imitation over HTTP: authorization, 30-second codes, rotating refresh tokens, nonce and revoke,
and the shape and limits of intraday activity."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import requests

from devtools.sandbox.client import authorize
from devtools.sandbox.providers.withings.knobs import withings_state
from shared.providers.withings.signature import sign
from tests.sandbox.flows import WITHINGS, query_of, withings_request_token
from tests.sandbox.flows import withings_start as _start
from tests.sandbox.flows import withings_tokens as _tokens


def _redirect(sandbox) -> str:
    """Return the callback the sandbox registered for the app (its API base differs per test tier)."""
    return sandbox.state.clients.get("withings", WITHINGS["client_id"]).redirect_uris[0]


def withings_start(base: str, sandbox=None, **kwargs):
    """Build the app's authorization URL for this sandbox."""
    return _start(base, redirect_uri=_redirect(sandbox), **kwargs)


def withings_tokens(sandbox, user: str = "alice", scope: str = "user.info,user.metrics,user.activity") -> dict:
    """Connect `user` and return the token envelope's body."""
    return _tokens(sandbox.url, user, scope, _redirect(sandbox))


def _data(base: str, token: str, **form: str) -> dict:
    answer = requests.post(f"{base}/withings/measure", data={"action": "getmeas", **form},
                           headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert answer.status_code == 200
    return answer.json()


def test_the_token_answer_is_an_envelope_with_userid_and_comma_separated_scopes(sandbox):
    body = withings_tokens(sandbox)
    assert body["userid"] == "38191920"
    assert body["scope"] == "user.info,user.metrics,user.activity"
    assert body["expires_in"] == 10800 and body["token_type"] == "Bearer" and len(body["access_token"]) == 40


def test_a_code_is_refused_after_thirty_seconds_and_after_one_use(sandbox):
    code = query_of(authorize(withings_start(sandbox.url, sandbox)))["code"]
    sandbox.state.grants.expire_code(code)
    late = withings_request_token(sandbox.url, grant_type="authorization_code", code=code,
                                  redirect_uri=_redirect(sandbox))
    assert late.status_code == 200 and late.json()["status"] == 503
    code = query_of(authorize(withings_start(sandbox.url, sandbox)))["code"]
    fields = {"grant_type": "authorization_code", "code": code, "redirect_uri": _redirect(sandbox)}
    assert withings_request_token(sandbox.url, **fields).json()["status"] == 0
    assert withings_request_token(sandbox.url, **fields).json()["status"] == 503


def test_the_old_refresh_token_dies_when_the_new_access_token_is_used(sandbox):
    first = withings_tokens(sandbox)
    refreshed = withings_request_token(sandbox.url, grant_type="refresh_token",
                                       refresh_token=first["refresh_token"]).json()["body"]
    assert refreshed["refresh_token"] != first["refresh_token"]
    again = withings_request_token(sandbox.url, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert again.json()["status"] == 0  # still in its grace: the new access token was not used
    newest = again.json()["body"]
    assert _data(sandbox.url, newest["access_token"])["status"] == 0
    dead = withings_request_token(sandbox.url, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert dead.json()["status"] == 401


def test_data_calls_answer_errors_inside_http_200(sandbox):
    token = withings_tokens(sandbox, scope="user.activity")["access_token"]
    assert _data(sandbox.url, "not-a-token")["status"] == 401
    assert _data(sandbox.url, token)["status"] == 403  # getmeas needs user.metrics
    metrics = withings_tokens(sandbox)["access_token"]
    assert _data(sandbox.url, metrics, lastupdate="1", startdate="1")["status"] == 503
    assert _data(sandbox.url, metrics, action="getnothing")["status"] == 503


def test_revoke_needs_a_signed_single_use_nonce(sandbox):
    tokens = withings_tokens(sandbox)
    secret, client_id = WITHINGS["client_secret"], WITHINGS["client_id"]
    stamp = {"action": "getnonce", "client_id": client_id, "timestamp": str(int(time.time()))}
    unsigned = requests.post(f"{sandbox.url}/withings/v2/signature", data={**stamp, "signature": "0" * 64}, timeout=10)
    assert unsigned.json()["status"] == 503
    nonce = requests.post(f"{sandbox.url}/withings/v2/signature", data={**stamp, "signature": sign(stamp, secret)},
                          timeout=10).json()["body"]["nonce"]
    signed = {"action": "revoke", "client_id": client_id, "nonce": nonce}
    form = {**signed, "signature": sign(signed, secret), "userid": tokens["userid"]}
    assert requests.post(f"{sandbox.url}/withings/v2/oauth2", data=form, timeout=10).json()["status"] == 0
    assert requests.post(f"{sandbox.url}/withings/v2/oauth2", data=form, timeout=10).json()["status"] == 503
    assert _data(sandbox.url, tokens["access_token"])["status"] == 401


NOW = datetime(2026, 10, 1, tzinfo=timezone.utc)
DAY = 86400


def _intraday(sandbox, token: str, **form: str) -> dict:
    withings_state(sandbox.state.extras).configure(now=NOW.isoformat())
    answer = requests.post(f"{sandbox.url}/withings/v2/measure", data={"action": "getintradayactivity", **form},
                           headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert answer.status_code == 200
    return answer.json()


def _epochs(answer: dict) -> list[int]:
    assert answer["status"] == 0 and set(answer["body"]) == {"series"}  # no `more`/`offset`: it does not page
    return sorted(int(key) for key in answer["body"]["series"])


def test_intraday_is_an_object_of_samples_keyed_by_epoch_second_with_their_device(sandbox):
    token = withings_tokens(sandbox)["access_token"]
    start = int(NOW.timestamp()) - 2 * DAY
    answer = _intraday(sandbox, token, startdate=str(start), enddate=str(start + DAY),
                       data_fields="steps,duration,heart_rate")
    series = answer["body"]["series"]
    assert start <= min(_epochs(answer)) and max(_epochs(answer)) <= start + DAY
    assert all({"deviceid", "model", "model_id"} <= set(sample) for sample in series.values())
    assert set().union(*series.values()) == {"deviceid", "model", "model_id", "steps", "duration", "heart_rate"}
    assert all(sample["duration"] == 60 for sample in series.values() if "steps" in sample)


def test_intraday_answers_the_first_24_hours_of_a_longer_range_and_the_last_24_without_dates(sandbox):
    token = withings_tokens(sandbox)["access_token"]
    start = int(NOW.timestamp()) - 5 * DAY
    wide = _epochs(_intraday(sandbox, token, startdate=str(start), enddate=str(start + 3 * DAY)))
    day = _epochs(_intraday(sandbox, token, startdate=str(start), enddate=str(start + DAY)))
    assert wide == day and day[-1] - day[0] > DAY - 3600
    recent = _epochs(_intraday(sandbox, token))
    assert int(NOW.timestamp()) - DAY <= recent[0] and recent[-1] <= int(NOW.timestamp())


def test_intraday_refuses_lastupdate_and_needs_the_activity_scope(sandbox):
    token = withings_tokens(sandbox)["access_token"]
    assert _intraday(sandbox, token, lastupdate=str(int(NOW.timestamp()) - DAY))["status"] == 503
    metrics_only = withings_tokens(sandbox, scope="user.metrics")["access_token"]
    assert _intraday(sandbox, metrics_only, startdate="1790000000", enddate="1790003600")["status"] == 403


def test_intraday_steps_and_floors_of_a_local_day_add_up_to_its_daily_activity_row(sandbox):
    token = withings_tokens(sandbox)["access_token"]
    daily = requests.post(f"{sandbox.url}/withings/v2/measure", timeout=30,
                          data={"action": "getactivity", "startdateymd": "2026-09-20", "enddateymd": "2026-09-20"},
                          headers={"Authorization": f"Bearer {token}"}).json()["body"]["activities"][0]
    midnight = datetime(2026, 9, 20, tzinfo=ZoneInfo(daily["timezone"]))
    first = int(midnight.timestamp())
    last = int((midnight + timedelta(days=1)).timestamp()) - 1
    series = _intraday(sandbox, token, startdate=str(first), enddate=str(last))["body"]["series"]
    assert daily["steps"] > 0
    assert sum(sample.get("steps", 0) for sample in series.values()) == daily["steps"]
    assert sum(sample.get("elevation", 0) for sample in series.values()) == daily["elevation"]
