"""Withings' envelope through the one error table: errors inside HTTP 200 answers, token answers, signatures."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from shared.errors import ProviderRejected, RateLimited, ReauthRequired, ScopeMissing, TransientProviderError
from shared.http.errors import ErrorDetails, classify
from shared.providers.withings.envelope import ERRORS, token_answer
from shared.providers.withings.revoke import signature_url
from shared.providers.withings.signature import sign


def _response(status: int, body: Any, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response.headers.update(headers or {})
    return response


@pytest.mark.parametrize(("status", "error", "http"), [
    (401, ReauthRequired, 401), (100, ReauthRequired, 401), (343, ReauthRequired, 401),
    (601, RateLimited, 429), (2554, ScopeMissing, 403), (403, ScopeMissing, 403),
    (522, TransientProviderError, 503), (2552, TransientProviderError, 503),
    (503, ProviderRejected, 400), (293, ProviderRejected, 400)])
def test_a_non_zero_status_in_a_200_answer_is_classified_by_the_table(status: int, error: type, http: int) -> None:
    found = classify("withings", _response(200, {"status": status, "body": {}, "error": "x"}), ERRORS)
    assert type(found) is error
    assert found.status == http
    assert f"status {status}" in str(found)


def test_rate_limited_waits_a_minute_without_headers() -> None:
    found = classify("withings", _response(200, {"status": 601, "body": {}, "error": "Too many request"}), ERRORS)
    assert isinstance(found, RateLimited) and found.retry_after == 60.0


def test_status_zero_is_a_success() -> None:
    assert classify("withings", _response(200, {"status": 0, "body": {"measuregrps": []}}), ERRORS) is None


@pytest.mark.parametrize("body", [b"[1, 2]", b"not json", b'{"body": {}}', b'{"status": "0"}'])
def test_a_200_answer_that_is_no_envelope_is_transient(body: bytes) -> None:
    assert type(classify("withings", _response(200, body), ERRORS)) is TransientProviderError


@pytest.mark.parametrize(("status", "error"), [(429, RateLimited), (502, TransientProviderError),
                                               (404, ProviderRejected)])
def test_http_errors_from_the_edge_keep_their_http_meaning(status: int, error: type) -> None:
    assert type(classify("withings", _response(status, b"<html>edge</html>"), ERRORS)) is error


def test_a_plain_quirk_is_not_asked_about_2xx_answers() -> None:
    asked = []

    def quirk(status: int, body: Any) -> ErrorDetails:
        asked.append(status)
        return ErrorDetails(status=401)

    assert classify("oura", _response(200, {"status": 401}), quirk) is None
    assert asked == []


def test_token_answer_unwraps_the_envelope_with_space_separated_scopes_and_a_string_user_id() -> None:
    answer = token_answer({"status": 0, "body": {
        "userid": 363, "access_token": "a" * 40, "refresh_token": "r" * 40, "expires_in": 10800,
        "scope": "user.info,user.metrics,user.activity", "csrf_token": "c", "token_type": "Bearer"}})
    assert answer["scope"] == "user.info user.metrics user.activity"
    assert answer["user_id"] == "363" and "userid" not in answer
    assert answer["access_token"] == "a" * 40 and answer["expires_in"] == 10800


@pytest.mark.parametrize(("status", "error"), [(503, "invalid_grant"), (401, "invalid_grant"),
                                               (601, "temporarily_unavailable"), (522, "temporarily_unavailable"),
                                               (2555, "unauthorized_client")])
def test_token_errors_become_oauth_errors(status: int, error: str) -> None:
    assert token_answer({"status": status, "body": {}, "error": "Invalid Params: invalid code"}) == {"error": error}


def test_a_token_answer_without_envelope_is_left_as_it_is() -> None:
    assert token_answer({"error": "invalid_request"}) == {"error": "invalid_request"}


def test_signature_is_hmac_sha256_of_the_values_sorted_by_name() -> None:
    import hashlib
    import hmac

    values = {"timestamp": "1700000000", "action": "getnonce", "client_id": "abc"}
    expected = hmac.new(b"secret", b"getnonce,abc,1700000000", hashlib.sha256).hexdigest()
    assert sign(values, "secret") == expected


def test_the_nonce_service_sits_next_to_the_token_service() -> None:
    assert signature_url("https://wbsapi.withings.net/v2/oauth2") == "https://wbsapi.withings.net/v2/signature"
    with pytest.raises(ProviderRejected):
        signature_url("https://wbsapi.withings.net/oauth2/token")
