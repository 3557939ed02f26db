"""Token endpoint answers and failures are mapped, never raised raw (no services)."""

import json

import pytest
import requests

from shared import oauth
from shared.errors import TransientProviderError
from shared.providers import PROVIDERS

OURA = PROVIDERS["oura"]


@pytest.mark.parametrize("error", [
    requests.exceptions.ChunkedEncodingError("truncated"),
    requests.exceptions.ContentDecodingError("bad gzip"),
    requests.exceptions.TooManyRedirects("loop"),
    requests.exceptions.InvalidJSONError("bad"),
], ids=["chunked", "decoding", "redirects", "json"])
def test_every_requests_failure_of_the_token_endpoint_is_transient(error):
    def call():
        raise error

    with pytest.raises(TransientProviderError, match="unreadable"):
        oauth._call_token_endpoint(OURA, call)


@pytest.mark.parametrize("value, seconds", [
    (3600, 3600), ("86400", 86400), (3599.0, 3599), (10**30, 30 * 86400), ("9" * 400, 30 * 86400),
    (float("inf"), None), (float("nan"), None), (-5, None), (0, None), ("soon", None), (True, None), (None, None),
], ids=["int", "text", "float", "huge", "huge-text", "inf", "nan", "negative", "zero", "words", "bool", "none"])
def test_expires_in_is_clamped_to_thirty_days_or_dropped(value, seconds):
    assert oauth.expires_in_seconds(value) == seconds


class _Answer:
    """A token endpoint answer as requests hands it to the compliance hooks."""

    def __init__(self, body):
        self.status_code = 200
        self._content = json.dumps(body).encode()

    def json(self):
        return json.loads(self._content)


def test_the_compliance_hook_rewrites_a_huge_expires_in_before_oauthlib_reads_it():
    answer = _Answer({"access_token": "a", "token_type": "bearer", "expires_in": 10**30})
    oauth._check_token_response("oura")(answer)
    assert answer.json()["expires_in"] == 30 * 86400
    broken = _Answer({"access_token": "a", "token_type": "bearer", "expires_in": "later"})
    oauth._check_token_response("oura")(broken)
    assert "expires_in" not in broken.json()
