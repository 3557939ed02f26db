"""Switches of the Google Health data imitation: open readings of the reference, and extra faults.

Readings the reference marks UNCERTAIN (docs/providers/fitbit.md 3-5, 10), one knob each:
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

from dataclasses import dataclass
from typing import Any

from devtools.sandbox.data_knobs import DataKnobs, KnobState, state_in

EXTRAS_KEY = "google_health_data"


@dataclass(frozen=True)
class HealthKnobs(DataKnobs):
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


class HealthState(KnobState[HealthKnobs]):
    """The Google Health imitation's knobs and fault counters; kept in `state.extras`."""

    def __init__(self) -> None:
        super().__init__(HealthKnobs())

    def rate_limited(self, token_key: str) -> bool:
        """Record a call of a token and tell whether it exceeds the per-minute limit."""
        return self._wait_for_window(token_key, self.knobs.rate_limit_per_minute, 60) is not None


def health_state(extras: dict[str, Any]) -> HealthState:
    """Return the module's state from `state.extras`, creating it on first use."""
    return state_in(extras, EXTRAS_KEY, HealthState)
