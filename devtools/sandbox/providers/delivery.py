"""Deliver webhook requests to the app, as a provider would: one POST or GET, its status recorded."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

from devtools.sandbox.data_knobs import KnobState
from devtools.sandbox.web import Response, json_response

TIMEOUT_SECONDS = 10
UTC = timezone.utc


def deliver(method: str, url: str, body: bytes | None = None, headers: Mapping[str, str] | None = None
            ) -> tuple[int, bytes]:
    """Send one request; return its status and body (0 when the app could not be reached)."""
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, OSError):
        return 0, b""


def add_day(knob_state: KnobState) -> tuple[datetime, datetime]:
    """Make one more day of data visible; return the new day's span [start, end).

    With `now` pinned, `now` moves a day forward (every wearer's data grows by that day); on the real
    clock the new day is the current one so far.
    """
    knobs = knob_state.knobs
    if knobs.now:
        start = datetime.fromisoformat(knobs.now)
        end = start + timedelta(days=1)
        knob_state.configure(now=end.isoformat())
        return start, end
    end = datetime.now(UTC)
    return datetime(end.year, end.month, end.day, tzinfo=UTC), end


class Deliveries:
    """The answers a burst of deliveries got, counted by status, and the new-day control route's answer."""

    def __init__(self) -> None:
        self.answers: dict[str, int] = {}

    def send(self, method: str, url: str, body: bytes | None = None, headers: Mapping[str, str] | None = None
             ) -> int:
        """Deliver one request (as `deliver`) and count its status."""
        status, _ = deliver(method, url, body, headers)
        self.answers[str(status)] = self.answers.get(str(status), 0) + 1
        return status

    def day_answer(self, start: datetime, end: datetime) -> Response:
        """Answer the new-day route: the day's span, how many were sent and how they were answered."""
        return json_response(200, {"day_start": start.isoformat(), "day_end": end.isoformat(),
                                   "sent": sum(self.answers.values()), "answers": self.answers})
