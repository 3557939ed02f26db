"""Calls per user: every API call made with a live access token, by the token's user and the API's name.

A provider's per-user rate limit counts the calls of one user's token in a time window; the log keeps
each call's time so a test can find the busiest window of every user at every API (`peaks`).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class UserCall:
    """One API call of a user: when (monotonic seconds), which route name (`<api>.<endpoint>`)."""

    at: float
    user: str
    endpoint: str

    @property
    def api(self) -> str:
        """Return the API part of the route name (the part before the first dot)."""
        return self.endpoint.partition(".")[0]


@dataclass(frozen=True)
class UserApiCalls:
    """One user's calls at one API: how many in all, and the most in any window of the asked length."""

    user: str
    api: str
    calls: int
    peak: int


class CallLog:
    """The calls made with live access tokens, in arrival order."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._calls: list[UserCall] = []

    def add(self, user: str, endpoint: str) -> None:
        """Record one call of `user` to the route named `endpoint`."""
        call = UserCall(self._clock(), user, endpoint)
        with self._lock:
            self._calls.append(call)

    def calls(self) -> list[UserCall]:
        """Return every recorded call."""
        with self._lock:
            return list(self._calls)

    def clear(self) -> None:
        """Forget every call."""
        with self._lock:
            self._calls.clear()

    def peaks(self, window_seconds: float) -> list[UserApiCalls]:
        """Return, per user and API, the call count and the most calls in any `window_seconds` window."""
        by_key: dict[tuple[str, str], list[float]] = defaultdict(list)
        for call in self.calls():
            by_key[(call.user, call.api)].append(call.at)
        return [UserApiCalls(user, api, len(times), busiest_window(times, window_seconds))
                for (user, api), times in sorted(by_key.items())]


def busiest_window(times: list[float], window_seconds: float) -> int:
    """Return the most of `times` (any order) falling in one half-open window of `window_seconds`."""
    best = 0
    inside: deque[float] = deque()
    for at in sorted(times):
        inside.append(at)
        while inside[0] <= at - window_seconds:
            inside.popleft()
        best = max(best, len(inside))
    return best
