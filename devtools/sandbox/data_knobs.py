"""What every provider's data switches share: validation, the clock knob, fault counters, the knob route.

A provider declares its switches as a frozen dataclass deriving from `DataKnobs` (which must have
the fields `now`, `malformed_json` and `revoke_after_calls`), keeps them in a `KnobState` stored in
`state.extras` under its own key (`state_in`) and serves them with `config_handler`.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, fields, replace
from datetime import datetime
from typing import Any, Generic, TypeVar

from devtools.sandbox.web import Handler, Request, Response, json_response

K = TypeVar("K", bound="DataKnobs")
S = TypeVar("S")


class DataKnobs:
    """Mixin of a frozen dataclass of switches: checked updates."""

    now: str
    malformed_json: int
    revoke_after_calls: int

    def updated(self: K, changes: dict[str, Any]) -> K:
        """Return a copy with `changes`.

        Raises:
            ValueError: unknown knob, wrong value type or an invalid value.
        """
        known = {f.name for f in fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise ValueError(f"unknown knob {name!r}")
            current = getattr(self, name)
            if type(value) is not type(current):
                raise ValueError(f"knob {name!r} expects a {type(current).__name__}")
            if type(value) is int and (problem := self._int_problem(name, value)):
                raise ValueError(f"knob {name!r} {problem}")
        self._check(changes)
        if changes.get("now"):
            try:
                parsed = datetime.fromisoformat(changes["now"])
            except ValueError:
                raise ValueError("knob 'now' must be an RFC 3339 time") from None
            if parsed.tzinfo is None:
                raise ValueError("knob 'now' must carry a zone")
        return replace(self, **changes)

    def _int_problem(self, name: str, value: int) -> str:
        """Return what is wrong with an integer value ("": nothing); negatives by default."""
        return "must not be negative" if value < 0 else ""

    def _check(self, changes: dict[str, Any]) -> None:
        """Refuse combinations or values a provider's knobs do not allow (none by default)."""

    def end_seconds(self) -> float:
        """Return the epoch second the data ends at (`now`, or the real clock)."""
        return datetime.fromisoformat(self.now).timestamp() if self.now else time.time()


class KnobState(Generic[K]):
    """The knobs plus the counters the extra faults need; kept in `state.extras`."""

    def __init__(self, knobs: K) -> None:
        self._lock = threading.Lock()
        self.knobs = knobs
        self._calls: dict[str, deque[float]] = {}

    def configure(self, **changes: Any) -> K:
        """Change knobs and return them."""
        with self._lock:
            self.knobs = self.knobs.updated(changes)
            return self.knobs

    def now(self) -> int:
        """Return the epoch second the data ends at."""
        return int(self.knobs.end_seconds())

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

    def _wait_for_window(self, token_key: str, limit: int, window_seconds: float) -> float | None:
        """Record a call of a token; return the seconds until it may call again when over `limit` per window."""
        if limit <= 0:
            return None
        now = time.monotonic()
        with self._lock:
            calls = self._calls.setdefault(token_key, deque())
            while calls and calls[0] <= now - window_seconds:
                calls.popleft()
            if len(calls) >= limit:
                return calls[0] + window_seconds - now
            calls.append(now)
            return None

    def to_json(self) -> dict[str, Any]:
        """Return the knobs as JSON."""
        return asdict(self.knobs)


def state_in(extras: dict[str, Any], key: str, create: Callable[[], S]) -> S:
    """Return the state kept in `extras` under `key`, creating it on first use."""
    found = extras.get(key)
    if found is None:
        found = extras.setdefault(key, create())
    return found


def with_data_faults(req: Request, grant_id: str, knob_state: KnobState[Any], response: Response) -> Response:
    """Apply the extra faults to a data answer: truncated JSON, or revoke the grant after the configured call."""
    if response.status == 200 and knob_state.take_malformed():
        response = Response(200, response.body[: max(1, len(response.body) // 2)], response.headers,
                            response.content_type)
    if knob_state.count_towards_revocation():
        req.state.grants.revoke_grant(grant_id)
    return response


def config_handler(state_of: Callable[[dict[str, Any]], KnobState[Any]]) -> Handler:
    """Return the handler of a provider's knob route: GET answers the knobs, POST changes them first."""

    def config(req: Request) -> Response:
        """Answer (GET) or change (POST) the knobs."""
        knob_state = state_of(req.state.extras)
        if req.method == "POST":
            changes = req.json()
            if not isinstance(changes, dict):
                return json_response(400, {"error": {"code": "bad_request", "message": "expected a JSON object"}})
            try:
                knob_state.configure(**changes)
            except ValueError as exc:
                return json_response(400, {"error": {"code": "bad_request", "message": str(exc)}})
        return json_response(200, {"config": knob_state.to_json()})

    return config
