"""Switches of the WHOOP data imitation: open readings of the reference, and extra faults.

Readings the reference leaves open (docs/providers/whoop.md 3, 6, 10), one knob each:
    last_page_token            how the last page ends: "absent", "null" or "empty" (`next_token`)
    scope_missing_status       401 (what the OpenAPI lists) or 403 (a third-party table)
    pending_minutes            records that ended less than this long ago are PENDING_SCORE
    unscorable_share           share of records drawn as UNSCORABLE
    zone_duration_v1_name      workouts name the zone object `zone_duration` (an older guide page)
Faults beyond the sandbox's generic ones (faults.Fault on the route names `whoop.<collection>`):
    membership_inactive        data calls answer 403 {"error": "deactivated_user"}
    body_missing               the body measurement answers 404 (no current record)
    malformed_json             the next N data calls answer 200 with truncated JSON
    revoke_after_calls         after N more data calls the grant is revoked (later calls answer 401)
    rate_limit_per_minute      app-wide requests per 60 s (WHOOP: 100; 0: no limit)
    rate_limit_per_day         app-wide requests per 86,400 s (WHOOP: 10,000; 0: no limit)
    rate_limit_retry_after     send `Retry-After` with a 429 (undocumented; off by default)
Data:
    now                        RFC 3339 time the data ends at ("": the real clock)
    history_days               days of data before `now`
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from devtools.sandbox.data_knobs import DataKnobs, KnobState, state_in

EXTRAS_KEY = "whoop_data"
MINUTE, DAY = 60.0, 86400.0


@dataclass(frozen=True)
class WhoopKnobs(DataKnobs):
    """The switches (see the module docstring)."""

    last_page_token: str = "absent"
    scope_missing_status: int = 401
    pending_minutes: int = 60
    unscorable_share: float = 0.02
    zone_duration_v1_name: bool = False
    membership_inactive: bool = False
    body_missing: bool = False
    malformed_json: int = 0
    revoke_after_calls: int = 0
    rate_limit_per_minute: int = 100
    rate_limit_per_day: int = 10000
    rate_limit_retry_after: bool = False
    now: str = ""
    history_days: int = 420

    def _check(self, changes: dict[str, Any]) -> None:
        """Refuse unknown page endings, statuses other than 401/403, shares outside [0, 1], history below 1."""
        if changes.get("last_page_token", "absent") not in ("absent", "null", "empty"):
            raise ValueError("knob 'last_page_token' must be absent, null or empty")
        if changes.get("scope_missing_status", 401) not in (401, 403):
            raise ValueError("knob 'scope_missing_status' must be 401 or 403")
        if not 0.0 <= changes.get("unscorable_share", 0.0) <= 1.0:
            raise ValueError("knob 'unscorable_share' must be between 0 and 1")
        if changes.get("history_days", 1) < 1:
            raise ValueError("knob 'history_days' must be at least 1")


@dataclass(frozen=True)
class Budget:
    """Where the app stands against its limits after one call (the window closest to exhaustion)."""

    allowed: bool
    limit_header: str
    remaining: int
    reset_seconds: int


class WhoopState(KnobState[WhoopKnobs]):
    """The WHOOP imitation's knobs, fault counters and the app-wide request budget; kept in `state.extras`."""

    def __init__(self) -> None:
        super().__init__(WhoopKnobs())
        self._budget_lock = threading.Lock()
        self._minute: deque[float] = deque()
        self._day: deque[float] = deque()
        self.refused = 0

    def spend(self) -> Budget:
        """Count one call of the app against both windows; say whether it is allowed and what headers say."""
        knobs, now = self.knobs, time.monotonic()
        with self._budget_lock:
            windows = []
            for calls, limit, length in ((self._minute, knobs.rate_limit_per_minute, MINUTE),
                                         (self._day, knobs.rate_limit_per_day, DAY)):
                while calls and calls[0] <= now - length:
                    calls.popleft()
                windows.append((calls, limit, length))
            allowed = all(limit <= 0 or len(calls) < limit for calls, limit, _ in windows)
            if allowed:
                for calls, _, _ in windows:
                    calls.append(now)
            else:
                self.refused += 1
            limited = [(limit - len(calls), limit, length, calls) for calls, limit, length in windows if limit > 0]
            parts = ", ".join(f"{limit};window={int(length)}" for _, limit, length, _ in limited)
            if not limited:
                return Budget(allowed, "", 0, 0)
            remaining, limit, length, calls = min(limited, key=lambda item: item[0] / item[1])
            reset = int(calls[0] + length - now) + 1 if calls else int(length)
            return Budget(allowed, f"{limit}, {parts}", max(0, remaining), reset)


def whoop_state(extras: dict[str, Any]) -> WhoopState:
    """Return the module's state from `state.extras`, creating it on first use."""
    return state_in(extras, EXTRAS_KEY, WhoopState)
