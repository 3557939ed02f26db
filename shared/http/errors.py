"""The one table that classifies provider answers, with small per-provider hooks for real quirks."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shared.errors import (
    ProviderError,
    ProviderRejected,
    RateLimited,
    ReauthRequired,
    ScopeMissing,
    TransientProviderError,
)

MAX_RETRY_AFTER_SECONDS = 24 * 3600.0
EPOCH_FLOOR = 1e9  # 2001-09-09 in epoch seconds


@dataclass(frozen=True)
class ErrorDetails:
    """What a provider's error body adds to its status code."""

    quota: bool = False
    retry_after: float | None = None
    message: str | None = None
    status: int | None = None  # the HTTP status a 2xx answer's body stands for (EnvelopeQuirk only)


ErrorQuirk = Callable[[int, Any], ErrorDetails]
"""Read a provider's error body (parsed JSON or None) for the details the status alone does not give."""


@dataclass(frozen=True)
class EnvelopeQuirk:
    """An error quirk that also reads 2xx bodies: for providers that answer errors with HTTP 200.

    `read(status, body)` returns details whose `status` is the HTTP status the body stands for
    (None: a success); the table then classifies that status like any other.
    """

    read: ErrorQuirk

    def __call__(self, status: int, body: Any) -> ErrorDetails:
        """Return the details of an answer."""
        return self.read(status, body)


def classify(provider: str, response: Any, quirk: ErrorQuirk | None = None) -> ProviderError | None:
    """Map an HTTP response to the error it means, or None for 2xx.

    | status                     | error                  |
    | 2xx                        | none                   |
    | 429                        | RateLimited            |
    | 403 that the quirk calls a quota | RateLimited      |
    | 5xx                        | TransientProviderError |
    | 401                        | ReauthRequired         |
    | 403                        | ScopeMissing           |
    | other 4xx                  | ProviderRejected       |

    An `EnvelopeQuirk` also reads 2xx bodies; the status its details name is classified as above.
    """
    status = response.status_code
    success = 200 <= status < 300
    if success and not isinstance(quirk, EnvelopeQuirk):
        return None
    details = quirk(status, _body(response)) if quirk is not None else ErrorDetails()
    message = f"{provider} answered HTTP {status}" + (f": {details.message}" if details.message else "")
    if success:
        if details.status is None:
            return None
        status = details.status
    if status == 429 or (status == 403 and details.quota):
        return RateLimited(provider, message, status=status,
                           retry_after=retry_after(response.headers, details.retry_after))
    if status >= 500:
        return TransientProviderError(provider, message, status=status)
    if status == 401:
        return ReauthRequired(provider, message, status=status)
    if status == 403:
        return ScopeMissing(provider, message, status=status)
    return ProviderRejected(provider, message, status=status)


def retry_after(headers: Any, body_delay: float | None) -> float | None:
    """Seconds to wait: Retry-After, else X-RateLimit-Reset, else the body's delay.

    X-RateLimit-Reset is epoch seconds at some providers and seconds to wait at others (the
    IETF RateLimit header fields): a value below `EPOCH_FLOOR` cannot be a current epoch time, so it is a delay.

    Only finite values count, clamped to [0, one day]: a hostile `inf` or `1e308` must not crash or park a job.
    """
    seconds = _finite(headers.get("Retry-After"))
    if seconds is None:
        reset = _finite(headers.get("X-RateLimit-Reset"))
        seconds = None if reset is None else (reset if reset < EPOCH_FLOOR else reset - time.time())
    if seconds is None:
        seconds = body_delay if body_delay is not None and math.isfinite(body_delay) else None
    return None if seconds is None else min(max(0.0, seconds), MAX_RETRY_AFTER_SECONDS)


def _finite(value: Any) -> float | None:
    try:
        number = float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
    return number if number is not None and math.isfinite(number) else None


def _body(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
