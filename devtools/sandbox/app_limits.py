"""A vendor's app-wide rate limits: calls of one OAuth client (all its users together) in sliding windows.

Each window keeps the times of the calls it allowed; a call is refused when any window already holds
its limit. Refused calls are counted (`refused`), so tests and benchmarks can tell whether the app
ever went over.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class WindowStanding:
    """One window after a call: its limit and length, the calls left, and seconds until one frees."""

    limit: int
    seconds: float
    remaining: int
    reset_seconds: int


@dataclass(frozen=True)
class Standing:
    """Whether a call was allowed, and where each limited window stands."""

    allowed: bool
    windows: tuple[WindowStanding, ...]


class AppLimits:
    """Sliding-window call logs per client id and window length."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[tuple[str, float], deque[float]] = {}
        self.refused = 0

    def spend(self, client_id: str, limits: Sequence[tuple[int, float]]) -> Standing:
        """Count one call of `client_id` against `(limit, seconds)` windows (a limit of 0: no limit)."""
        now = time.monotonic()
        active = [(limit, seconds) for limit, seconds in limits if limit > 0]
        with self._lock:
            logs = []
            for limit, seconds in active:
                calls = self._calls.setdefault((client_id, seconds), deque())
                while calls and calls[0] <= now - seconds:
                    calls.popleft()
                logs.append((limit, seconds, calls))
            allowed = all(len(calls) < limit for limit, _, calls in logs)
            if allowed:
                for _, _, calls in logs:
                    calls.append(now)
            else:
                self.refused += 1
            return Standing(allowed, tuple(
                WindowStanding(limit, seconds, max(0, limit - len(calls)),
                               int(calls[0] + seconds - now) + 1 if calls else int(seconds))
                for limit, seconds, calls in logs))
