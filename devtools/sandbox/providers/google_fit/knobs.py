"""Switches of the Google Fit data imitation: open readings of the reference, extra faults, end of service.

Readings the reference leaves open (docs/providers/google_fit.md 1, 3.2, 3.4, 4.3, 7), one knob each:
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

from dataclasses import dataclass
from typing import Any

from devtools.sandbox.data_knobs import DataKnobs, KnobState, state_in

EXTRAS_KEY = "google_fit_data"
END_OF_SERVICE_MODES = ("", "gone", "intermittent", "forbidden", "not_found")
_AT_LEAST_ONE = ("aggregate_max_days", "session_limit", "end_of_service_every", "history_days")


@dataclass(frozen=True)
class FitKnobs(DataKnobs):
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

    def _int_problem(self, name: str, value: int) -> str:
        """Return what is wrong with an integer value ("": nothing)."""
        return "is out of range" if value < (1 if name in _AT_LEAST_ONE else 0) else ""

    def _check(self, changes: dict[str, Any]) -> None:
        """Refuse an unknown end-of-service mode."""
        if changes.get("end_of_service", "") not in END_OF_SERVICE_MODES:
            raise ValueError(f"knob 'end_of_service' must be one of {', '.join(map(repr, END_OF_SERVICE_MODES))}")


class FitState(KnobState[FitKnobs]):
    """The Google Fit imitation's knobs and fault counters; kept in `state.extras`."""

    def __init__(self) -> None:
        super().__init__(FitKnobs())
        self._served = 0

    def now_ms(self) -> int:
        """Return the epoch ms the data ends at."""
        return int(self.knobs.end_seconds() * 1000)

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

    def rate_limited(self, token_key: str) -> bool:
        """Record a call of a token and tell whether it exceeds the per-minute limit."""
        return self._wait_for_window(token_key, self.knobs.rate_limit_per_minute, 60) is not None


def fit_state(extras: dict[str, Any]) -> FitState:
    """Return the module's state from `state.extras`, creating it on first use."""
    return state_in(extras, EXTRAS_KEY, FitState)
