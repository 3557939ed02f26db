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
    rate_limit_per_minute      requests per 60 s of one client id, all users together (WHOOP: 100; 0: off)
    rate_limit_per_day         requests per 86,400 s of one client id (WHOOP: 10,000; 0: off)
    rate_limit_window_scale    multiplies both windows' lengths (0.1: a 6 s "minute"; benchmarks)
    rate_limit_retry_after     send `Retry-After` with a 429 (undocumented; off by default)
Data:
    now                        RFC 3339 time the data ends at ("": the real clock)
    history_days               days of data before `now`
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devtools.sandbox.app_limits import AppLimits
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
    rate_limit_per_minute: int = 0
    rate_limit_per_day: int = 0
    rate_limit_window_scale: float = 1.0
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
        if not changes.get("rate_limit_window_scale", 1.0) > 0:
            raise ValueError("knob 'rate_limit_window_scale' must be above 0")


@dataclass(frozen=True)
class Budget:
    """Where the app stands against its limits after one call (the window closest to exhaustion)."""

    allowed: bool
    limit_header: str
    remaining: int
    reset_seconds: int


class WhoopState(KnobState[WhoopKnobs]):
    """The WHOOP imitation's knobs, fault counters and the app-wide request limits; kept in `state.extras`."""

    def __init__(self) -> None:
        super().__init__(WhoopKnobs())
        self.limits = AppLimits()

    @property
    def refused(self) -> int:
        """Return how many calls the app-wide limits refused."""
        return self.limits.refused

    def spend(self, client_id: str) -> Budget:
        """Count one call of the client against both windows; say whether it is allowed and what headers say."""
        knobs = self.knobs
        scale = knobs.rate_limit_window_scale
        standing = self.limits.spend(client_id, ((knobs.rate_limit_per_minute, MINUTE * scale),
                                                 (knobs.rate_limit_per_day, DAY * scale)))
        if not standing.windows:
            return Budget(standing.allowed, "", 0, 0)
        parts = ", ".join(f"{window.limit};window={window.seconds:g}" for window in standing.windows)
        closest = min(standing.windows, key=lambda window: window.remaining / window.limit)
        return Budget(standing.allowed, f"{closest.limit}, {parts}", closest.remaining, closest.reset_seconds)


def whoop_state(extras: dict[str, Any]) -> WhoopState:
    """Return the module's state from `state.extras`, creating it on first use."""
    return state_in(extras, EXTRAS_KEY, WhoopState)
