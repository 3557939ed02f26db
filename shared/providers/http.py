"""The one HTTP path for provider calls: a shared session, timeouts, and the error table."""

from __future__ import annotations

import json
import logging
from typing import Any

from shared.errors import (
    ProviderError,
    ProviderRejected,
    RateLimited,
    ReauthRequired,
    ScopeMissing,
    TransientProviderError,
)

TIMEOUT_SECONDS = (5, 30)
# urllib3 logs request lines at DEBUG, and Oura's revocation puts the token in the query string.
logging.getLogger("urllib3").setLevel(logging.WARNING)
_session: Any = None


def session() -> Any:
    """Return the process-wide `requests` session."""
    global _session
    if _session is None:
        import requests

        _session = requests.Session()
        _session.headers["User-Agent"] = "personicle-connect"
    return _session


_QUOTA_REASONS = {"RATE_LIMIT_EXCEEDED", "rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "dailyLimitExceeded",
                  "RESOURCE_EXHAUSTED"}


def _body(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _google_error(body: Any) -> tuple[set[str], float | None]:
    """Return the ErrorInfo reasons and a RetryInfo delay of a Google error envelope."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return set(), None
    reasons = {str(error.get("status", ""))}
    delay = None
    for detail in error.get("details") or ():
        if not isinstance(detail, dict):
            continue
        if detail.get("reason"):
            reasons.add(str(detail["reason"]))
        retry_delay = detail.get("retryDelay")
        if isinstance(retry_delay, str) and retry_delay.endswith("s"):
            try:
                delay = float(retry_delay[:-1])
            except ValueError:
                pass
    for item in error.get("errors") or ():  # Google Fit's older envelope
        if isinstance(item, dict) and item.get("reason"):
            reasons.add(str(item["reason"]))
    return reasons, delay


def _retry_after(response: Any, body_delay: float | None) -> float | None:
    """Seconds to wait: Retry-After, else X-RateLimit-Reset (epoch seconds), else the body's RetryInfo."""
    import time

    value = response.headers.get("Retry-After")
    try:
        if value is not None:
            return max(0.0, float(value))
    except ValueError:
        pass
    reset = response.headers.get("X-RateLimit-Reset")
    try:
        if reset is not None:
            return max(0.0, float(reset) - time.time())
    except ValueError:
        pass
    return body_delay


def classify(provider: str, response: Any) -> ProviderError | None:
    """Map an HTTP response to the error it means, or None for 2xx.

    | status                | error                  |
    | 2xx                   | none                   |
    | 429                   | RateLimited            |
    | 403 quota reasons     | RateLimited            |
    | 5xx                   | TransientProviderError |
    | 401                   | ReauthRequired         |
    | 403                   | ScopeMissing           |
    | other 4xx             | ProviderRejected       |
    """
    status = response.status_code
    if 200 <= status < 300:
        return None
    message = f"{provider} answered HTTP {status}"
    reasons, body_delay = _google_error(_body(response)) if status in (403, 429) else (set(), None)
    if status == 429 or (status == 403 and reasons & _QUOTA_REASONS):
        return RateLimited(provider, message, status=status, retry_after=_retry_after(response, body_delay))
    if status >= 500:
        return TransientProviderError(provider, message, status=status)
    if status == 401:
        return ReauthRequired(provider, message, status=status)
    if status == 403:
        return ScopeMissing(provider, message, status=status)
    return ProviderRejected(provider, message, status=status)


def request_json(provider: str, method: str, url: str, *, http: Any = None, **kwargs: Any) -> Any:
    """Call a provider and return its JSON body (`http`: a `requests` session, default the shared one).

    Raises:
        ProviderError: per `classify`; timeouts, connection failures and non-JSON bodies are transient.
    """
    import requests

    try:
        response = (http or session()).request(method, url, timeout=TIMEOUT_SECONDS, **kwargs)
    except requests.Timeout:
        raise TransientProviderError(provider, f"{provider} did not answer in time") from None
    except (requests.ConnectionError, requests.exceptions.RetryError):
        raise TransientProviderError(provider, f"{provider} could not be reached") from None
    error = classify(provider, response)
    if error is not None:
        raise error
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError):
        raise TransientProviderError(provider, f"{provider} answered with a body that is not JSON",
                                     status=response.status_code) from None


def bearer(access_token: str) -> dict[str, str]:
    """Return the Authorization header for a user token."""
    return {"Authorization": f"Bearer {access_token}"}
