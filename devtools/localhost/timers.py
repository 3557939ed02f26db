"""Fire timer-triggered functions on their NCRONTAB schedules, as the Functions host does.

Schedules are six-field NCRONTAB (`second minute hour day month day-of-week`), evaluated in UTC;
like NCrontab, a restricted day and day-of-week must both match. A TimeSpan schedule (`hh:mm:ss`)
fires at that interval. Runs of one timer never overlap: the next occurrence is computed after a
run ends, and a failing run is logged while the schedule carries on.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from azure.functions.timer import TimerRequest
from croniter import croniter

from devtools.localhost.index import TimerFunction
from devtools.localhost.invoke import invoke
from devtools.localhost.settings import HostConfigError, parse_timespan

log = logging.getLogger("devtools.localhost")


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule: an NCRONTAB expression or a fixed interval."""

    expression: str
    interval: timedelta | None

    def next_after(self, moment: datetime) -> datetime:
        """Return the first occurrence strictly after `moment` (UTC)."""
        if self.interval is not None:
            return moment + self.interval
        return croniter(self.expression, moment, ret_type=datetime, day_or=False,
                        second_at_beginning=True).get_next()


def parse_schedule(function: TimerFunction) -> Schedule:
    """Parse a timer function's schedule.

    Raises:
        HostConfigError: the schedule is neither six-field NCRONTAB nor a TimeSpan.
    """
    text = function.schedule
    if ":" in text and " " not in text:
        interval = parse_timespan(text, f"function {function.name!r} schedule")
        if interval <= timedelta(0):
            raise HostConfigError(f"function {function.name!r}: schedule interval must be positive")
        return Schedule(expression=text, interval=interval)
    fields = text.split()
    if len(fields) != 6:
        raise HostConfigError(f"function {function.name!r}: schedule {text!r} must have six fields "
                              "(second minute hour day month day-of-week)")
    try:
        croniter(text, datetime.now(timezone.utc), second_at_beginning=True, day_or=False).get_next()
    except ValueError as error:
        raise HostConfigError(f"function {function.name!r}: schedule {text!r} is invalid ({error})") from None
    return Schedule(expression=text, interval=None)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


class TimerWorker:
    """Run one timer function on schedule or on demand, one run at a time."""

    def __init__(self, function: TimerFunction) -> None:
        self.function = function
        self.schedule = parse_schedule(function)
        self._running = threading.Lock()
        self._last: datetime | None = None

    def fire(self, *, past_due: bool = False) -> bool:
        """Run the function now; return whether it succeeded (a failure is logged, not raised)."""
        with self._running:
            now = datetime.now(timezone.utc)
            request = TimerRequest(
                past_due=past_due,
                schedule_status={"Last": _iso(self._last), "Next": _iso(self.schedule.next_after(now)),
                                 "LastUpdated": _iso(now)},
                schedule={"AdjustForDST": True})
            self._last = now
            try:
                invoke(self.function.name, self.function.handler, self.function.arg_name, request)
            except Exception:  # the host logs a failed timer run and keeps its schedule
                log.exception("Executed '%s' (Failed)", self.function.name)
                return False
            return True

    def run(self, stop: threading.Event) -> None:
        """Fire on startup when asked, then on every occurrence until `stop` is set."""
        if self.function.run_on_startup and not stop.is_set():
            self.fire()
        while not stop.is_set():
            due = self.schedule.next_after(datetime.now(timezone.utc))
            while not stop.is_set():
                remaining = (due - datetime.now(timezone.utc)).total_seconds()
                if remaining <= 0:
                    break
                stop.wait(remaining)
            if not stop.is_set():
                self.fire()
