"""Switches of the Google Health data imitation: open readings of the reference, and extra faults.

Readings the reference marks UNCERTAIN (providers/google-health-api.md 3-5, 10), one knob each:
    sleep_rejects_filters        sleep refuses every filter member (3.5)
    tie_drop                     records sharing the last record's time are lost at a page boundary (3.12)
    end_token_omitted            the last page omits nextPageToken instead of sending "" (3.4)
    reconcile_oldest_first       reconcile's undocumented order: oldest first instead of newest first (3.6)
    reconcile_merges_sources     reconcile de-duplicates sources (off: it returns every source's record)
    zero_as_string               a true zero is sent as "0" instead of being omitted (4.2)
    nan_per_mille                share (per mille) of HRV samples whose RMSSD is the string "NaN" (3.2)
    daily_rollup_end_inclusive   dailyRollUp's end date counts (3.8)
    rollup_windows_per_page      rollUp pages windows this many at a time (0: never pages) (3.7)
Faults beyond the sandbox's generic ones (faults.Fault):
    malformed_json               the next N data calls answer 200 with truncated JSON
    revoke_after_calls           after N more data calls the grant is revoked (later calls answer 401)
    rate_limit_per_minute        per-token limit answered with 429 (0: off; the API's is 300) (5.5)
    rate_limit_retry_after       send Retry-After with those 429s
    now                          RFC 3339 time the data ends at ("" : the real clock)
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any

EXTRAS_KEY = "google_health_data"


@dataclass(frozen=True)
class HealthKnobs:
    """The switches (see the module docstring)."""

    sleep_rejects_filters: bool = False
    tie_drop: bool = False
    end_token_omitted: bool = False
    reconcile_oldest_first: bool = False
    reconcile_merges_sources: bool = True
    zero_as_string: bool = False
    nan_per_mille: int = 5
    daily_rollup_end_inclusive: bool = False
    rollup_windows_per_page: int = 0
    malformed_json: int = 0
    revoke_after_calls: int = 0
    rate_limit_per_minute: int = 0
    rate_limit_retry_after: bool = True
    now: str = ""

    def updated(self, changes: dict[str, Any]) -> HealthKnobs:
        """Return a copy with `changes`.

        Raises:
            ValueError: unknown knob or wrong value type.
        """
        known = {f.name for f in fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise ValueError(f"unknown knob {name!r}")
            current = getattr(self, name)
            if type(value) is not type(current):
                raise ValueError(f"knob {name!r} expects a {type(current).__name__}")
            if isinstance(value, int) and not isinstance(value, bool) and value < 0:
                raise ValueError(f"knob {name!r} must not be negative")
        if changes.get("now"):
            try:
                parsed = datetime.fromisoformat(changes["now"])
            except ValueError:
                raise ValueError("knob 'now' must be an RFC 3339 time") from None
            if parsed.tzinfo is None:
                raise ValueError("knob 'now' must carry a zone")
        return replace(self, **changes)


class HealthState:
    """The knobs plus the counters the extra faults need; kept in `state.extras`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.knobs = HealthKnobs()
        self._calls: dict[str, deque[float]] = {}

    def configure(self, **changes: Any) -> HealthKnobs:
        """Change knobs and return them."""
        with self._lock:
            self.knobs = self.knobs.updated(changes)
            return self.knobs

    def now(self) -> int:
        """Return the epoch second the data ends at."""
        text = self.knobs.now
        return int(datetime.fromisoformat(text).timestamp()) if text else int(time.time())

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


def health_state(extras: dict[str, Any]) -> HealthState:
    """Return the module's state from `state.extras`, creating it on first use."""
    found = extras.get(EXTRAS_KEY)
    if found is None:
        found = extras.setdefault(EXTRAS_KEY, HealthState())
    return found
