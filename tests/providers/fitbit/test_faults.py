"""Sandbox Google Health faults as the app classifies them: rate limits, 5xx, timeouts, bad bodies, revocation."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests

from devtools.sandbox import Fault
from shared.errors import ProviderError, RateLimited, ReauthRequired, TransientProviderError
from shared.providers.fitbit.streams import STREAMS as FITBIT_STREAMS
from tests.providers.fitbit.conftest import NOW_TIME, Health

STREAMS = {stream.name: stream for stream in FITBIT_STREAMS}
START, END = NOW_TIME - timedelta(hours=6), NOW_TIME


def _read(health: Health, name: str = "steps", *, timeout: float = 30.0):
    context, api = health.context("bob", timeout=timeout)
    return STREAMS[name].fetch_page(context, START, END, None), api


FAULTS = [
    ("429-retry-after", Fault("googlehealth.reconcile", status=429, headers={"Retry-After": "7"}), RateLimited, 7.0),
    ("429-no-retry-after", Fault("googlehealth.reconcile", status=429), RateLimited, None),
    ("503", Fault("googlehealth.reconcile", status=503), TransientProviderError, None),
    ("500", Fault("googlehealth.reconcile", status=500), TransientProviderError, None),
    ("html-502", Fault("googlehealth.reconcile", kind="non_json"), TransientProviderError, None),
    ("dropped", Fault("googlehealth.reconcile", kind="drop"), TransientProviderError, None),
]


@pytest.mark.parametrize(("name", "fault", "error", "retry_after"), FAULTS, ids=[row[0] for row in FAULTS])
def test_generic_faults_reach_the_hook_as_classified_errors(health: Health, name: str, fault: Fault,
                                                            error: type[ProviderError], retry_after: float | None) -> None:
    health.state.faults.add(fault)
    with pytest.raises(error) as raised:
        _read(health)
    if error is RateLimited:
        assert raised.value.retry_after == retry_after
    page, _ = _read(health)  # the fault is used up: the same read now succeeds
    assert page.records


def test_rate_limit_body_is_the_google_quota_shape(health: Health) -> None:
    health.state.faults.add(Fault("googlehealth.list", status=429))
    response = health.get(health.token(), "steps")
    error = response.json()["error"]
    assert response.status_code == 429 and error["status"] == "RESOURCE_EXHAUSTED"
    assert error["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"


def test_slow_answer_past_the_client_timeout_is_transient(health: Health) -> None:
    health.state.faults.add(Fault("googlehealth.reconcile", kind="slow", delay=1.5))
    with pytest.raises(TransientProviderError, match="in time"):
        _read(health, timeout=0.5)


def test_malformed_json_knob_truncates_the_next_answers(health: Health) -> None:
    health.configure(malformed_json=1)
    with pytest.raises(TransientProviderError, match="not JSON"):
        _read(health)
    page, _ = _read(health)
    assert page.records


def test_grant_revoked_mid_sync_turns_later_calls_into_401(health: Health) -> None:
    health.configure(revoke_after_calls=2)
    context, api = health.context("bob")
    stream = STREAMS["steps"]
    for _ in range(2):
        assert stream.fetch_page(context, START, END, None).records
    with pytest.raises(ReauthRequired):
        stream.fetch_page(context, START, END, None)
    with pytest.raises(ReauthRequired):
        STREAMS["sleep"].fetch_page(context, START - timedelta(days=2), END, None)
    assert health.state.grants.grants("google", "bob") == []


def test_per_token_rate_limit_knob(health: Health) -> None:
    health.configure(rate_limit_per_minute=3)
    context, _ = health.context("bob")
    for _ in range(3):
        STREAMS["weight"].fetch_page(context, START - timedelta(days=30), END, None)
    with pytest.raises(RateLimited) as raised:
        STREAMS["weight"].fetch_page(context, START - timedelta(days=30), END, None)
    assert raised.value.retry_after == 30.0
    health.configure(rate_limit_retry_after=False)
    with pytest.raises(RateLimited) as raised:
        STREAMS["weight"].fetch_page(context, START - timedelta(days=30), END, None)
    assert raised.value.retry_after is None
    other, _ = health.context("carol")
    assert STREAMS["weight"].fetch_page(other, START - timedelta(days=30), END, None).next_page_token is None


def test_sleep_fallback_does_not_swallow_rate_limits_or_server_errors(health: Health) -> None:
    for fault, error in ((Fault("googlehealth.reconcile", status=429), RateLimited),
                         (Fault("googlehealth.reconcile", status=503), TransientProviderError)):
        health.state.faults.add(fault)
        with pytest.raises(error):
            _read(health, "sleep")


def test_knob_route_validates_values(health: Health) -> None:
    url = f"{health.server.url}/_sandbox/googlehealth/config"
    assert requests.post(url, json={"tie_drop": True}, timeout=10).json()["config"]["tie_drop"] is True
    for bad in ({"tie_drop": 1}, {"nope": True}, {"now": "yesterday"}, {"malformed_json": -1}):
        assert requests.post(url, json=bad, timeout=10).status_code == 400
    assert requests.get(url, timeout=10).json()["config"]["now"] == "2026-10-01T00:00:00Z"
