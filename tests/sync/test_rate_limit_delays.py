"""Rate-limit delays from provider answers: only finite values count, clamped to a day (no services)."""

import json
import time

import pytest
import requests

from shared.errors import RateLimited
from shared.http.errors import MAX_RETRY_AFTER_SECONDS, classify
from shared.providers.google_errors import google_error_details


def _answer(status: int, headers: dict, body=None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers)
    response._content = json.dumps(body).encode() if body is not None else b""
    return response


@pytest.mark.parametrize("headers, delay", [
    ({"Retry-After": "17"}, 17.0),
    ({"Retry-After": "inf"}, None),
    ({"Retry-After": "Infinity"}, None),
    ({"Retry-After": "nan"}, None),
    ({"Retry-After": "1e308"}, MAX_RETRY_AFTER_SECONDS),
    ({"Retry-After": "9" * 400}, None),  # beyond a float: infinite, so ignored
    ({"Retry-After": "-30"}, 0.0),
    ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, None),
    ({"X-RateLimit-Reset": "inf"}, None),
    ({"X-RateLimit-Reset": "1e300"}, MAX_RETRY_AFTER_SECONDS),
    ({}, None),
], ids=["seconds", "inf", "infinity", "nan", "huge", "huge-digits", "negative", "http-date", "reset-inf",
        "reset-huge", "none"])
def test_retry_after_accepts_only_finite_values_clamped_to_a_day(headers, delay):
    error = classify("oura", _answer(429, headers))
    assert isinstance(error, RateLimited) and error.retry_after == delay


def test_a_reset_time_counts_from_now():
    error = classify("oura", _answer(429, {"X-RateLimit-Reset": str(time.time() + 120)}))
    assert 100 < error.retry_after <= 120


@pytest.mark.parametrize("retry_delay, delay", [
    ("30s", 30.0), ("infs", None), ("1e400s", None), ("1e308s", MAX_RETRY_AFTER_SECONDS),
], ids=["seconds", "inf", "overflow", "huge"])
def test_google_retry_info_delays_are_finite_and_clamped(retry_delay, delay):
    body = {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "details": [
        {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": retry_delay}]}}
    error = classify("fitbit", _answer(429, {}, body), google_error_details)
    assert isinstance(error, RateLimited) and error.retry_after == delay
