"""Google Fit imitation faults as the app classifies them.

Rate limits (429 with and without Retry-After, legacy quota 403s), 5xx, slow and dropped answers,
truncated JSON, a grant revoked mid-sync, and the end-of-service answers.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from devtools.sandbox import Fault
from devtools.sandbox.providers.google_fit.api import quota_error
from devtools.sandbox.web import Response
from shared.errors import (
    ProviderError,
    ProviderRejected,
    RateLimited,
    ReauthRequired,
    ScopeMissing,
    TransientProviderError,
)
from shared.providers.google_fit.streams import STREAMS as GOOGLE_FIT_STREAMS
from tests.providers.google_fit.sandbox_view import NOW_TIME, Fit, fit  # noqa: F401

STREAMS = {stream.name: stream for stream in GOOGLE_FIT_STREAMS}
START, END = NOW_TIME - timedelta(days=2), NOW_TIME
ENDPOINTS = {"activity": "googlefit.aggregate", "sessions": "googlefit.sessions", "sleep_stages": "googlefit.datasets"}


def _read(fit: Fit, name: str = "activity", *, timeout: float = 30.0):
    context, api = fit.context("bob", timeout=timeout)
    return STREAMS[name].fetch_page(context, START, END, None), api


def _body(response: Response) -> object:
    return json.loads(response.body)


FAULTS = [
    ("429-retry-after", dict(status=429, headers={"Retry-After": "7"}), RateLimited, 7.0),
    ("429-no-retry-after", dict(status=429), RateLimited, None),
    ("403-user-rate-limit", dict(status=403), RateLimited, None),
    ("503", dict(status=503), TransientProviderError, None),
    ("500", dict(status=500), TransientProviderError, None),
    ("html-502", dict(kind="non_json"), TransientProviderError, None),
    ("dropped", dict(kind="drop"), TransientProviderError, None),
]


@pytest.mark.parametrize("stream", sorted(ENDPOINTS), ids=sorted(ENDPOINTS))
@pytest.mark.parametrize(("name", "fault", "error", "retry_after"), FAULTS, ids=[row[0] for row in FAULTS])
def test_generic_faults_reach_the_hooks_as_classified_errors(fit: Fit, stream: str, name: str, fault: dict,
                                                             error: type[ProviderError], retry_after: float | None
                                                             ) -> None:
    fit.state.faults.add(Fault(ENDPOINTS[stream], **fault))
    with pytest.raises(error) as raised:
        _read(fit, stream)
    if error is RateLimited:
        assert raised.value.retry_after == retry_after
    page, _ = _read(fit, stream)  # the fault is used up: the same read now succeeds
    assert page.records


@pytest.mark.parametrize("reason", ["userRateLimitExceeded", "rateLimitExceeded", "quotaExceeded"])
def test_legacy_quota_403s_are_rate_limits_not_missing_scopes(fit: Fit, reason: str) -> None:
    answer = _body(quota_error(403, reason))
    assert answer["error"]["errors"][0] == {"message": answer["error"]["message"], "domain": "usageLimits",
                                            "reason": reason}
    fit.state.faults.add(Fault("googlefit.sessions", status=403, body=answer))
    with pytest.raises(RateLimited):
        _read(fit, "sessions")


def test_rate_limit_body_is_the_fit_quota_shape(fit: Fit) -> None:
    fit.state.faults.add(Fault("googlefit.sessions", status=429))
    answer = fit.get(fit.token(), "sessions")
    error = answer.json()["error"]
    assert answer.status_code == 429 and error["status"] == "RESOURCE_EXHAUSTED"
    assert error["errors"][0]["reason"] == "rateLimitExceeded" and "Retry-After" not in answer.headers


def test_slow_answer_past_the_client_timeout_is_transient(fit: Fit) -> None:
    fit.state.faults.add(Fault("googlefit.aggregate", kind="slow", delay=1.5))
    with pytest.raises(TransientProviderError, match="in time"):
        _read(fit, timeout=0.5)


def test_malformed_json_knob_truncates_the_next_answers(fit: Fit) -> None:
    fit.configure(malformed_json=1)
    with pytest.raises(TransientProviderError, match="not JSON"):
        _read(fit)
    assert _read(fit)[0].records


def test_grant_revoked_mid_sync_turns_the_next_call_into_401(fit: Fit) -> None:
    context, _ = fit.context("bob")
    fit.configure(revoke_after_calls=2)
    STREAMS["activity"].fetch_page(context, START, END, None)
    STREAMS["body"].fetch_page(context, START, END, None)  # the second call is served, then the grant is gone
    with pytest.raises(ReauthRequired):
        STREAMS["sessions"].fetch_page(context, START, END, None)


@pytest.mark.parametrize(("retry_after", "expected"), [(False, None), (True, 30.0)], ids=["plain", "retry-after"])
def test_per_token_rate_limit_knob(fit: Fit, retry_after: bool, expected: float | None) -> None:
    fit.configure(rate_limit_per_minute=2, rate_limit_retry_after=retry_after)
    context, _ = fit.context("bob")
    STREAMS["activity"].fetch_page(context, START, END, None)
    STREAMS["location"].fetch_page(context, START, END, None)
    with pytest.raises(RateLimited) as raised:
        STREAMS["body"].fetch_page(context, START, END, None)
    assert raised.value.retry_after == expected


SUNSET = [("gone", ProviderRejected, 410), ("forbidden", ScopeMissing, 403), ("not_found", ProviderRejected, 404)]


@pytest.mark.parametrize(("mode", "error", "status"), SUNSET, ids=[row[0] for row in SUNSET])
def test_end_of_service_reaches_the_hooks_as_classified_errors(fit: Fit, mode: str, error: type[ProviderError],
                                                               status: int) -> None:
    context, _ = fit.context("bob")
    fit.configure(end_of_service=mode)
    with pytest.raises(error) as raised:
        STREAMS["activity"].fetch_page(context, START, END, None)
    assert raised.value.status == status


def test_intermittent_end_of_service_fails_some_calls_then_all(fit: Fit) -> None:
    context, _ = fit.context("bob")
    fit.configure(end_of_service="intermittent", end_of_service_every=2)
    assert STREAMS["activity"].fetch_page(context, START, END, None).records
    with pytest.raises(ProviderRejected) as raised:
        STREAMS["activity"].fetch_page(context, START, END, None)
    assert raised.value.status == 410
    fit.configure(end_of_service="gone")
    with pytest.raises(ProviderRejected):
        STREAMS["sessions"].fetch_page(context, START, END, None)
