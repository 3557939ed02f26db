"""A provider's app-wide request limits, declared as data and overridable by a setting."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestBudget:
    """At most `requests` calls in any `seconds` long stretch, counted for the whole app (all users together)."""

    requests: int
    seconds: float

    def __post_init__(self) -> None:
        if self.requests < 1 or not (self.seconds > 0 and math.isfinite(self.seconds)):
            raise ValueError("a request budget needs at least one request and a period above zero")

    def __str__(self) -> str:
        """Return the setting's form, `requests/seconds` (`90/60`)."""
        return f"{self.requests}/{self.seconds:g}"


def request_budgets(raw: str) -> tuple[RequestBudget, ...]:
    """Parse `90/60,9500/86400` (requests per seconds, comma-separated); `none` means no budget."""
    value = raw.strip().lower()
    if value == "none":
        return ()
    budgets = []
    for part in value.split(","):
        requests, slash, seconds = part.strip().partition("/")
        try:
            budgets.append(RequestBudget(int(requests), float(seconds)))
        except ValueError:
            raise ValueError("expected requests/seconds pairs like 90/60,9500/86400, or none") from None
        if not slash:
            raise ValueError("expected requests/seconds pairs like 90/60,9500/86400, or none")
    return tuple(budgets)
