"""Switches of the Withings data imitation (docs/providers/withings.md 9).

    page_size              rows per page (no page size is documented; a real getsummary page held 300)
    getmeas_paging_absent  a single-page getmeas answer has no `more`/`offset` (as recorded answers)
    rate_limit_per_minute  calls per 60 s of one client id, all users together, before status 601
                           (0: off; Withings allows 120)
    rate_limit_window_scale  multiplies the window's length (0.1: a 6 s "minute"; benchmarks)
    status_faults          envelope statuses the next data calls answer with HTTP 200, comma-separated
                           (e.g. "401,601": the next call says bad token, the one after rate limited)
    malformed_json         the next N data calls answer 200 with truncated JSON
    revoke_after_calls     after N more data calls the grant is revoked (later calls answer status 401)
    now                    RFC 3339 time the data ends at ("": the real clock)
    history_days           days of data before `now`
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from devtools.sandbox.app_limits import AppLimits
from devtools.sandbox.data_knobs import DataKnobs, KnobState, state_in

EXTRAS_KEY = "withings_data"


@dataclass(frozen=True)
class WithingsKnobs(DataKnobs):
    """The switches (see the module docstring)."""

    page_size: int = 300
    getmeas_paging_absent: bool = True
    rate_limit_per_minute: int = 0
    rate_limit_window_scale: float = 1.0
    status_faults: str = ""
    malformed_json: int = 0
    revoke_after_calls: int = 0
    now: str = ""
    history_days: int = 420

    def _check(self, changes: dict[str, Any]) -> None:
        """Refuse page sizes or history below 1 and status faults that are not integers."""
        for name in ("page_size", "history_days"):
            if changes.get(name, 1) < 1:
                raise ValueError(f"knob {name!r} must be at least 1")
        for part in changes.get("status_faults", "").split(","):
            if part.strip() and not part.strip().isdigit():
                raise ValueError("knob 'status_faults' must list integers")
        if not changes.get("rate_limit_window_scale", 1.0) > 0:
            raise ValueError("knob 'rate_limit_window_scale' must be above 0")


class WithingsState(KnobState[WithingsKnobs]):
    """The Withings imitation's knobs, its pending status faults and its app-wide call log."""

    def __init__(self) -> None:
        super().__init__(WithingsKnobs())
        self.limits = AppLimits()

    def take_status_fault(self) -> int | None:
        """Consume the next pending envelope status fault, if any."""
        with self._lock:
            parts = [p.strip() for p in self.knobs.status_faults.split(",") if p.strip()]
            if not parts:
                return None
            self.knobs = replace(self.knobs, status_faults=",".join(parts[1:]))
            return int(parts[0])

    def app_rate_limited(self, client_id: str) -> bool:
        """Count one call of the client; True when it is over the per-minute limit (the call is refused)."""
        knobs = self.knobs
        return not self.limits.spend(client_id, ((knobs.rate_limit_per_minute,
                                                  60.0 * knobs.rate_limit_window_scale),)).allowed


def withings_state(extras: dict[str, Any]) -> WithingsState:
    """Return the module's state from `state.extras`, creating it on first use."""
    return state_in(extras, EXTRAS_KEY, WithingsState)
