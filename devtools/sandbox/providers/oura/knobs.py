"""Switches of the Oura data imitation: open readings of the reference, schema drift, and extra faults.

Readings the reference leaves open (docs/providers/oura.md 3.1, 4, 6, 10), one knob each:
    page_size                  documents per page of a date collection (no page size is documented)
    heartrate_page_size        rows per page of heartrate
    end_exclusive_everywhere   every end_date excludes its day (the behaviour reported of Oura's own sandbox)
    max_range_days             ranges longer than this answer 400 (0: no limit; one report saw > 30 days fail)
    scope_missing_status       403 as documented, or 401 as one integrator saw
Schema drift (4, "schema drift"):
    heartrate_timestamp_unix   heartrate rows carry `timestamp_unix` (spec 1.29+; live answers lack it)
    document_meta              documents carry `meta` {updated_at, version} (spec 1.29 only)
    cardiovascular_age_id      cardiovascular age documents carry `id` (absent from Dec 2024 answers)
    sleep_30_sec               sleep periods carry the 30-second strings and `app_sleep_phase_5_min`
Faults beyond the sandbox's generic ones (faults.Fault on the route names `oura.<collection>`):
    membership_lapsed          every data call answers 403 (the user's Oura membership expired)
    outdated_app               collections answering 426 Minimum App Version ("*": all), comma-separated
    malformed_json             the next N data calls answer 200 with truncated JSON
    revoke_after_calls         after N more data calls the grant is revoked (later calls answer 401)
    rate_limit_per_window      per-token limit per 300 s answered with 429 and the X-RateLimit-* headers
    rate_limit_body            send `{"detail": ...}` with those 429s (off: an empty body)
Data:
    now                        RFC 3339 time the data ends at ("": the real clock)
    history_days               days of data before `now` (the ring's first day)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devtools.sandbox.data_knobs import DataKnobs, KnobState, state_in

EXTRAS_KEY = "oura_data"
RATE_WINDOW_SECONDS = 300


@dataclass(frozen=True)
class OuraKnobs(DataKnobs):
    """The switches (see the module docstring)."""

    page_size: int = 500
    heartrate_page_size: int = 10000
    end_exclusive_everywhere: bool = False
    max_range_days: int = 0
    scope_missing_status: int = 403
    heartrate_timestamp_unix: bool = False
    document_meta: bool = False
    cardiovascular_age_id: bool = False
    sleep_30_sec: bool = True
    membership_lapsed: bool = False
    outdated_app: str = ""
    malformed_json: int = 0
    revoke_after_calls: int = 0
    rate_limit_per_window: int = 0
    rate_limit_body: bool = False
    now: str = ""
    history_days: int = 420

    def _check(self, changes: dict[str, Any]) -> None:
        """Refuse a status other than 401/403 and page sizes or history below 1."""
        if changes.get("scope_missing_status", 403) not in (401, 403):
            raise ValueError("knob 'scope_missing_status' must be 401 or 403")
        for name in ("page_size", "heartrate_page_size", "history_days"):
            if changes.get(name, 1) < 1:
                raise ValueError(f"knob {name!r} must be at least 1")

    def outdated(self, collection: str) -> bool:
        """Tell whether `collection` answers 426 Minimum App Version."""
        names = {name.strip() for name in self.outdated_app.split(",") if name.strip()}
        return "*" in names or collection in names


class OuraState(KnobState[OuraKnobs]):
    """The Oura imitation's knobs and fault counters; kept in `state.extras`."""

    def __init__(self) -> None:
        super().__init__(OuraKnobs())

    def rate_limited(self, token_key: str) -> float | None:
        """Record a call of a token; return the seconds until it may call again when over the limit."""
        return self._wait_for_window(token_key, self.knobs.rate_limit_per_window, RATE_WINDOW_SECONDS)


def oura_state(extras: dict[str, Any]) -> OuraState:
    """Return the module's state from `state.extras`, creating it on first use."""
    return state_in(extras, EXTRAS_KEY, OuraState)
