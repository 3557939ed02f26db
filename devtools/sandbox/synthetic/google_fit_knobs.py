"""Switches of the Google Fit data imitation: open readings of the reference, extra faults, end of service.

Readings the reference leaves open (providers/google-fit-rest.md 1, 3.2, 3.4, 4.3, 7), one knob each:
    aggregate_max_days     longest aggregate range (documented 90; clients report 30-60) -> 400
    omit_empty_points      an empty dataset omits its `point` key instead of sending []
    map_val                aggregated values carry the extra `"mapVal": []`
    summary_min_first      3-value summaries come as [min, average, max] instead of [average, max, min]
    session_page_token     time-bounded sessions.list answers also carry a nextPageToken
    session_limit          sessions one sessions.list may return before "Session limit ... exceeded"
Faults beyond the sandbox's generic ones (faults.Fault):
    malformed_json         the next N data calls answer 200 with truncated JSON
    revoke_after_calls     after N more data calls the grant is revoked (later calls answer 401)
    rate_limit_per_minute  per-token limit answered with 429 RESOURCE_EXHAUSTED (0: off)
    rate_limit_retry_after send Retry-After with those 429s (the reference documents none)
End of service (the reference does not know Google's answer; 8.1): the API answers as a Google API
after its sunset does, e.g. the Content API for Shopping (2026): HTTP 410 Gone, first for some
requests, then for all.
    end_of_service         "" (running), "gone" (every call 410), "intermittent" (every Nth call 410),
                           "forbidden" (403 SERVICE_DISABLED), "not_found" (Google's HTML 404 page)
    end_of_service_every   N of "intermittent"
Data:
    now                    RFC 3339 time the data ends at ("": the real clock)
    history_days           days of history before `now`
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any

EXTRAS_KEY = "google_fit_data"
END_OF_SERVICE_MODES = ("", "gone", "intermittent", "forbidden", "not_found")


@dataclass(frozen=True)
class FitKnobs:
    """The switches (see the module docstring)."""

    aggregate_max_days: int = 90
    omit_empty_points: bool = False
    map_val: bool = True
    summary_min_first: bool = False
    session_page_token: bool = True
    session_limit: int = 10000
    malformed_json: int = 0
    revoke_after_calls: int = 0
    rate_limit_per_minute: int = 0
    rate_limit_retry_after: bool = False
    end_of_service: str = ""
    end_of_service_every: int = 2
    now: str = ""
    history_days: int = 730

    def updated(self, changes: dict[str, Any]) -> FitKnobs:
        """Return a copy with `changes`.

        Raises:
            ValueError: unknown knob, wrong value type or value out of range.
        """
        known = {f.name for f in fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise ValueError(f"unknown knob {name!r}")
            if type(value) is not type(getattr(self, name)):
                raise ValueError(f"knob {name!r} expects a {type(getattr(self, name)).__name__}")
            if type(value) is int and value < (1 if name in ("aggregate_max_days", "session_limit",
                                                            "end_of_service_every", "history_days") else 0):
                raise ValueError(f"knob {name!r} is out of range")
        if changes.get("end_of_service", "") not in END_OF_SERVICE_MODES:
            raise ValueError(f"knob 'end_of_service' must be one of {', '.join(map(repr, END_OF_SERVICE_MODES))}")
        if changes.get("now"):
            try:
                parsed = datetime.fromisoformat(changes["now"])
            except ValueError:
                raise ValueError("knob 'now' must be an RFC 3339 time") from None
            if parsed.tzinfo is None:
                raise ValueError("knob 'now' must carry a zone")
        return replace(self, **changes)


class FitState:
    """The knobs plus the counters the extra faults need; kept in `state.extras`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.knobs = FitKnobs()
        self._calls: dict[str, deque[float]] = {}
        self._served = 0

    def configure(self, **changes: Any) -> FitKnobs:
        """Change knobs and return them."""
        with self._lock:
            self.knobs = self.knobs.updated(changes)
            return self.knobs

    def now_ms(self) -> int:
        """Return the epoch ms the data ends at."""
        text = self.knobs.now
        seconds = datetime.fromisoformat(text).timestamp() if text else time.time()
        return int(seconds * 1000)

    def history_ms(self, now_ms: int) -> int:
        """Return the epoch ms the data starts at."""
        return now_ms - self.knobs.history_days * 86_400_000

    def ended(self) -> str:
        """Count one call and return the end-of-service answer it gets ("" : served normally)."""
        mode = self.knobs.end_of_service
        if mode != "intermittent":
            return mode
        with self._lock:
            self._served += 1
            return "gone" if self._served % self.knobs.end_of_service_every == 0 else ""

    def take_malformed(self) -> bool:
        """Consume one malformed-JSON answer if any are pending."""
        with self._lock:
            if self.knobs.malformed_json <= 0:
                return False
            self.knobs = replace(self.knobs, malformed_json=self.knobs.malformed_json - 1)
            return True

    def count_towards_revocation(self) -> bool:
        """Count one served data call; True when it was the last before the grant is revoked."""
        with self._lock:
            left = self.knobs.revoke_after_calls
            if left <= 0:
                return False
            self.knobs = replace(self.knobs, revoke_after_calls=left - 1)
            return left == 1

    def rate_limited(self, token_key: str) -> bool:
        """Record a call of a token and tell whether it exceeds the per-minute limit."""
        limit = self.knobs.rate_limit_per_minute
        if limit <= 0:
            return False
        now = time.monotonic()
        with self._lock:
            calls = self._calls.setdefault(token_key, deque())
            while calls and calls[0] <= now - 60:
                calls.popleft()
            if len(calls) >= limit:
                return True
            calls.append(now)
            return False

    def to_json(self) -> dict[str, Any]:
        """Return the knobs as JSON."""
        return asdict(self.knobs)


def fit_state(extras: dict[str, Any]) -> FitState:
    """Return the module's state from `state.extras`, creating it on first use."""
    found = extras.get(EXTRAS_KEY)
    if found is None:
        found = extras.setdefault(EXTRAS_KEY, FitState())
    return found
