"""Google Fit sessions and sleep segments -> Personicle events (pure, no I/O).

Shapes: docs/providers/google_fit.md 3.4 (`Session`: id, name, epoch-millisecond start and end,
`activityType`, optional `activeTimeMillis`, `application`) and 3.3 (sleep.segment points with
nanosecond times and one `intVal` stage). Sleep sessions (activity 72) become sleep events, their
stage segments stage events; workout sessions become exercise events. Fit stores no time zone, so
events carry no UTC offset.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from shared.contract.records import EVENT_PREFIX, Event
from shared.providers.google_fit.map_activities import (
    NOT_EXERCISE,
    SLEEP,
    SLEEP_STAGES,
    STAGE_ACTIVITIES,
    activity_name,
    exercise_kind,
)
from shared.providers.google_fit.map_values import from_millis, int64, point_span, slots

SLEEP_TYPE = EVENT_PREFIX + "sleep"
SLEEP_SEGMENT = "com.google.sleep.segment"


def session_end(session: Mapping[str, Any]) -> datetime | None:
    """Return a session's end (what `sessions.list` filters by), or None when unreadable."""
    return from_millis(session.get("endTimeMillis"))


def segment_end(point: Mapping[str, Any]) -> datetime | None:
    """Return a sleep segment's end, or None when unreadable."""
    span = point_span(point)
    return span[1] if span else None


def map_sessions(sessions: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Event]:
    """Return one event per readable session, ordered by start (movement states are not events)."""
    events = [event for event in (_session(s, individual_id, source) for s in sessions) if event is not None]
    events.sort(key=lambda event: (event.start_time, event.end_time, event.event_type))
    return events


def _session(session: Mapping[str, Any], individual_id: str, source: str) -> Event | None:
    start, end = from_millis(session.get("startTimeMillis")), session_end(session)
    activity = session.get("activityType")
    if start is None or end is None or end < start or type(activity) is not int or activity in NOT_EXERCISE:
        return None
    parameters: dict[str, Any] = {"duration": int((end - start).total_seconds())}
    for field, name in (("id", "provider_record_id"), ("name", "session_name")):
        text = session.get(field)
        if isinstance(text, str) and text:
            parameters[name] = text
    application = session.get("application")
    package = application.get("packageName") if isinstance(application, Mapping) else None
    if isinstance(package, str) and package:
        parameters["application"] = package
    if activity == SLEEP:
        return Event(individual_id, start, end, SLEEP_TYPE, "Sleep", source, parameters)
    if activity in STAGE_ACTIVITIES:
        event_type, event_name = SLEEP_STAGES[STAGE_ACTIVITIES[activity]]
        return Event(individual_id, start, end, event_type, event_name, source, parameters)
    event_type, event_name = exercise_kind(activity)
    parameters["activity"] = activity_name(activity)
    parameters["activity_type"] = activity
    active = int64(session.get("activeTimeMillis"))
    if active is not None and active >= 0:
        parameters["active_duration"] = active // 1000
    return Event(individual_id, start, end, event_type, event_name, source, parameters)


def map_sleep_segments(points: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Event]:
    """Return one stage event per readable sleep segment, ordered by start (unknown stages skipped)."""
    events = []
    for point in points:
        name = point.get("dataTypeName")
        if isinstance(name, str) and name and name != SLEEP_SEGMENT:
            continue
        span = point_span(point)
        values = slots(point)
        stage = SLEEP_STAGES.get(values[0]) if values and type(values[0]) is int else None
        if span is None or stage is None or span[1] <= span[0]:
            continue
        start, end = span
        parameters = {"duration": int((end - start).total_seconds()), "sleep_segment_type": values[0]}
        events.append(Event(individual_id, start, end, stage[0], stage[1], source, parameters))
    events.sort(key=lambda event: (event.start_time, event.end_time, event.event_type))
    return events
