"""The one HTTP path for provider calls: a shared session, timeouts, and the error table."""

from __future__ import annotations

import json
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
_session: Any = None


def session() -> Any:
    """Return the process-wide `requests` session."""
    global _session
    if _session is None:
        import requests

        _session = requests.Session()
        _session.headers["User-Agent"] = "personicle-connect"
    return _session


def _retry_after(response: Any) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def classify(provider: str, response: Any) -> ProviderError | None:
    """Map an HTTP response to the error it means, or None for 2xx.

    | status                | error                  |
    | 2xx                   | none                   |
    | 429                   | RateLimited            |
    | 5xx                   | TransientProviderError |
    | 401                   | ReauthRequired         |
    | 403                   | ScopeMissing           |
    | other 4xx             | ProviderRejected       |
    """
    status = response.status_code
    if 200 <= status < 300:
        return None
    message = f"{provider} answered HTTP {status}"
    if status == 429:
        return RateLimited(provider, message, retry_after=_retry_after(response))
    if status >= 500:
        return TransientProviderError(provider, message, status=status)
    if status == 401:
        return ReauthRequired(provider, message, status=status)
    if status == 403:
        return ScopeMissing(provider, message, status=status)
    return ProviderRejected(provider, message, status=status)


def request_json(provider: str, method: str, url: str, **kwargs: Any) -> Any:
    """Call a provider and return its JSON body.

    Raises:
        ProviderError: per `classify`; timeouts, connection failures and non-JSON bodies are transient.
    """
    import requests

    try:
        response = session().request(method, url, timeout=TIMEOUT_SECONDS, **kwargs)
    except requests.Timeout:
        raise TransientProviderError(provider, f"{provider} did not answer in time") from None
    except requests.ConnectionError:
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
