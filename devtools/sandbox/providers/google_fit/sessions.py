"""A demo user's Google Fit sessions (sleep and workouts) in the `Session` JSON shape.

Reference: docs/providers/google_fit.md 3.4. A session exists once it has ended (and not before the
history start); `sessions.list` selects sessions by their end time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from devtools.sandbox.providers.google_fit.days import Session, fit_day
from devtools.sandbox.providers.google_fit.minutes import utc_day


def user_sessions(user: str, first_ms: int, last_ms: int, *, now_ms: int, history_ms: int) -> Iterator[Session]:
    """Yield the sessions ending in [first_ms, last_ms] (both inclusive), ordered by start."""
    if last_ms < first_ms:
        return
    day, stop = utc_day(first_ms) - timedelta(days=2), utc_day(last_ms) + timedelta(days=1)
    while day <= stop:
        plan = fit_day(user, day)
        for session in sorted((s for s in (plan.sleep, plan.workout) if s is not None), key=lambda s: s.start):
            if first_ms <= session.end <= last_ms and session.end <= now_ms and session.start >= history_ms:
                yield session
        day += timedelta(days=1)


def modified_since(user: str, since_ms: int, *, now_ms: int, history_ms: int) -> list[Session]:
    """Return the sessions modified after `since_ms` and by now (the sync-token mode of sessions.list)."""
    earliest = max(since_ms - 2 * 86_400_000, history_ms)
    return [s for s in user_sessions(user, earliest, now_ms, now_ms=now_ms, history_ms=history_ms)
            if since_ms < s.modified <= now_ms]


def session_json(session: Session) -> dict[str, Any]:
    """Return a session as `sessions.list` sends it (int64 fields as strings)."""
    out: dict[str, Any] = {"id": session.id, "name": session.name, "description": "",
                           "startTimeMillis": str(session.start), "endTimeMillis": str(session.end),
                           "modifiedTimeMillis": str(session.modified),
                           "application": {"packageName": session.package}, "activityType": session.activity}
    if session.active_ms is not None:
        out["activeTimeMillis"] = str(session.active_ms)
    return out
