"""WHOOP answers through the one error table: statuses, the membership body, the rate-limit headers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from shared.errors import ProviderRejected, RateLimited, ReauthRequired, ScopeMissing, TransientProviderError
from shared.http.errors import classify
from shared.providers.whoop.provider import WHOOP


@dataclass
class Answer:
    """A response as the error table reads it."""

    status_code: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        if self.body is None:
            raise ValueError("no JSON")
        return self.body


@pytest.mark.parametrize(("status", "error"), [
    (400, ProviderRejected), (401, ReauthRequired), (403, ScopeMissing), (404, ProviderRejected),
    (429, RateLimited), (500, TransientProviderError)])
def test_statuses_follow_the_table(status: int, error: type) -> None:
    assert isinstance(classify("whoop", Answer(status), WHOOP.error_quirk), error)


def test_an_inactive_membership_is_named() -> None:
    found = classify("whoop", Answer(403, {"error": "deactivated_user"}), WHOOP.error_quirk)
    assert isinstance(found, ScopeMissing) and "membership is inactive" in str(found)


def test_rate_limit_reset_in_seconds_is_the_wait() -> None:
    headers = {"X-RateLimit-Limit": "100, 100;window=60, 10000;window=86400", "X-RateLimit-Remaining": "0",
               "X-RateLimit-Reset": "37"}
    found = classify("whoop", Answer(429, {"error": "Request rejected due to rate limiting"}, headers),
                     WHOOP.error_quirk)
    assert isinstance(found, RateLimited) and found.retry_after == 37
