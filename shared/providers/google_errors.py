"""Google's error envelope, shared by the providers whose APIs Google serves.

Google answers quota exhaustion with 429 or with 403 and an ErrorInfo reason, and may say when to
come back in a RetryInfo detail (https://cloud.google.com/apis/design/errors#error_details).
"""

from __future__ import annotations

from typing import Any

from shared.http.errors import ErrorDetails

QUOTA_REASONS = frozenset({"RATE_LIMIT_EXCEEDED", "rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded",
                           "dailyLimitExceeded", "RESOURCE_EXHAUSTED"})


def google_error_details(status: int, body: Any) -> ErrorDetails:
    """Return whether a 403/429 means a quota, and the RetryInfo delay, from Google's envelope."""
    if status not in (403, 429):
        return ErrorDetails()
    reasons, delay = _reasons_and_delay(body)
    return ErrorDetails(quota=bool(reasons & QUOTA_REASONS), retry_after=delay)


def _reasons_and_delay(body: Any) -> tuple[set[str], float | None]:
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
