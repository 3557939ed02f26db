"""Sandbox Oura refusals over real HTTP: scopes, membership, app version, rate limits, generic faults,
malformed JSON, a grant revoked mid-sync, schema-drift knobs and the knob route."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
import requests

from devtools.sandbox import Fault
from tests.providers.oura.sandbox_view import NOW_TIME, Oura, oura  # noqa: F401


@pytest.mark.parametrize(("scope", "collection", "knobs", "status"), [
    ("daily", "heartrate", {}, 403),
    ("daily", "heartrate", {"scope_missing_status": 401}, 401),
    ("daily", "daily_stress", {}, 403),
    ("spo2", "daily_spo2", {}, 200),
    ("heart_health", "daily_resilience", {}, 200),
    ("personal", "sleep", {}, 403),
], ids=["heartrate-not-granted", "scope-missing-as-401", "stress-needs-its-scope", "spo2", "resilience-by-heart-health",
        "identity-only"])
def test_scope_checks(oura: Oura, scope: str, collection: str, knobs: dict[str, Any], status: int) -> None:
    oura.configure(**knobs)
    answer = oura.get(oura.token(scope=scope), collection, start_date="2026-09-01", end_date="2026-09-02",
                      start_datetime="2026-09-01T00:00:00Z", end_datetime="2026-09-01T01:00:00Z")

    assert answer.status_code == status


def test_a_token_is_required(oura: Oura) -> None:
    answer = oura.get(None, "sleep")

    assert answer.status_code == 401 and answer.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(("knobs", "status", "detail"), [
    ({"membership_lapsed": True}, 403, "Membership"),
    ({"outdated_app": "daily_sleep,sleep"}, 426, "Minimum App Version"),
    ({"outdated_app": "*"}, 426, "Minimum App Version"),
], ids=["membership-lapsed", "app-too-old", "app-too-old-everywhere"])
def test_account_faults(oura: Oura, knobs: dict[str, Any], status: int, detail: str) -> None:
    oura.configure(**knobs)
    answer = oura.get(oura.token(), "daily_sleep")

    assert answer.status_code == status and detail in answer.json()["detail"]


@pytest.mark.parametrize("with_body", [False, True], ids=["empty-body", "detail-body"])
def test_rate_limit_answers_429_with_the_rate_limit_headers(oura: Oura, with_body: bool) -> None:
    oura.configure(rate_limit_per_window=2, rate_limit_body=with_body)
    token = oura.token()
    answers = [oura.get(token, "daily_sleep") for _ in range(3)]
    limited = answers[-1]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert int(limited.headers["Retry-After"]) > 0 and limited.headers["X-RateLimit-Limit"] == "2"
    assert limited.headers["X-RateLimit-Window"] == "300" and limited.headers["X-RateLimit-Tier"] == "token"
    assert int(limited.headers["X-RateLimit-Reset"]) > NOW_TIME.timestamp()
    assert (limited.json() == {"detail": "Rate limit exceeded"}) if with_body else limited.content == b""


@pytest.mark.parametrize(("fault", "status", "check"), [
    (Fault("oura.sleep", status=503), 503, lambda r: r.json() == {"detail": "Sandbox fault"}),
    (Fault("oura.sleep", status=429), 429, lambda r: r.headers["Retry-After"] == "37"),
    (Fault("oura.sleep", kind="non_json", status=502), 502, lambda r: r.text.startswith("<!DOCTYPE html>")),
    (Fault("oura.sleep", kind="slow", delay=0.2), 200, lambda r: set(r.json()) == {"data", "next_token"}),
], ids=["server-error", "generic-429", "html-error-page", "slow"])
def test_generic_faults_apply_per_collection(oura: Oura, fault: Fault, status: int, check: Any) -> None:
    token = oura.token()
    oura.state.faults.add(fault)
    answer = oura.get(token, "sleep")
    other = oura.get(token, "daily_sleep")

    assert answer.status_code == status and check(answer)
    assert other.status_code == 200


def test_malformed_json_and_a_grant_revoked_mid_sync(oura: Oura) -> None:
    token = oura.token()
    oura.configure(malformed_json=1, revoke_after_calls=2)
    truncated = oura.get(token, "daily_sleep")
    last = oura.get(token, "daily_sleep")
    revoked = oura.get(token, "daily_sleep")

    with pytest.raises(ValueError):
        json.loads(truncated.content)
    assert last.status_code == 200 and revoked.status_code == 401


@pytest.mark.parametrize(("knobs", "collection", "check"), [
    ({"heartrate_timestamp_unix": True}, "heartrate",
     lambda d: d.get("timestamp_unix") == int(datetime.fromisoformat(d["timestamp"]).timestamp()) * 1000),
    ({"document_meta": True}, "daily_sleep", lambda d: set(d.get("meta", ())) == {"updated_at", "version"}),
    ({"cardiovascular_age_id": True}, "daily_cardiovascular_age", lambda d: "id" in d),
    ({"sleep_30_sec": False}, "sleep", lambda d: "sleep_phase_30_sec" not in d and "movement_30_sec" not in d),
], ids=["timestamp-unix", "meta", "cardiovascular-age-id", "no-30-second-strings"])
def test_schema_drift_knobs(oura: Oura, knobs: dict[str, Any], collection: str, check: Any) -> None:
    token = oura.token()
    params = {"start_date": "2026-09-01", "end_date": "2026-09-10", "start_datetime": "2026-09-01T00:00:00Z",
              "end_datetime": "2026-09-01T02:00:00Z"}
    before = oura.get(token, collection, **params).json()["data"]
    oura.configure(**knobs)
    after = oura.get(token, collection, **params).json()["data"]

    assert after and all(check(document) for document in after)
    assert not any(check(document) for document in before)


def test_config_route_reads_and_changes_knobs(oura: Oura) -> None:
    url = f"{oura.server.url}/_sandbox/oura/config"
    changed = requests.post(url, json={"page_size": 3}, timeout=10)
    refused = requests.post(url, json={"page_size": "3"}, timeout=10)
    unknown = requests.post(url, json={"fields": True}, timeout=10)

    assert changed.json()["config"]["page_size"] == 3 == requests.get(url, timeout=10).json()["config"]["page_size"]
    assert refused.status_code == unknown.status_code == 400


def test_other_versions_and_areas_are_not_found(oura: Oura) -> None:
    answer = requests.get(f"{oura.base}/v1/usercollection/sleep", timeout=10,
                          headers={"Authorization": f"Bearer {oura.token()}"})

    assert answer.status_code == 404 and answer.json() == {"detail": "Not Found"}


def test_calls_are_counted_per_collection(oura: Oura) -> None:
    token = oura.token()
    for collection in ("sleep", "sleep", "vO2_max"):
        oura.get(token, collection)

    assert (oura.state.counters.get("oura.sleep"), oura.state.counters.get("oura.vO2_max")) == (2, 1)
