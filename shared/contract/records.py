"""Personicle records as typed values: events and datastream packets, with deterministic ids."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal, Union

from shared.clock import UTC as _UTC
from shared.contract.timefmt import format_time, utc

EVENT_PREFIX = "com.personicle.individual.events."
STREAM_PREFIX = "com.personicle.individual.datastreams."


@dataclass(frozen=True, slots=True)
class Event:
    """Something with a start and an end (a sleep, a workout, a sleep stage)."""

    individual_id: str
    start_time: datetime
    end_time: datetime
    event_type: str
    event_name: str
    source: str
    parameters: Mapping[str, Any] = field(hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "start_time", utc(self.start_time, "start_time"))
        object.__setattr__(self, "end_time", utc(self.end_time, "end_time"))
        try:
            frozen = MappingProxyType(dict(self.parameters))
            if not all(isinstance(key, str) for key in frozen):
                raise TypeError("keys must be strings")
            json.dumps(dict(frozen), allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{self.event_type}: parameters must be a JSON-serialisable mapping: {exc}") from None
        object.__setattr__(self, "parameters", frozen)


@dataclass(frozen=True, slots=True)
class LatLng:
    """One position of a location data point, in degrees."""

    latitude: float
    longitude: float


PointValue = Union[int, float, tuple[LatLng, ...]]


@dataclass(frozen=True, slots=True)
class Point:
    """One value of an instantaneous stream at a moment."""

    timestamp: datetime
    value: PointValue

    def __post_init__(self) -> None:
        if self.timestamp.tzinfo is not _UTC:
            object.__setattr__(self, "timestamp", utc(self.timestamp, "timestamp"))


@dataclass(frozen=True, slots=True)
class IntervalPoint:
    """One value of an interval stream over [start_time, end_time]."""

    start_time: datetime
    end_time: datetime
    value: PointValue

    def __post_init__(self) -> None:
        if self.start_time.tzinfo is not _UTC:
            object.__setattr__(self, "start_time", utc(self.start_time, "start_time"))
        if self.end_time.tzinfo is not _UTC:
            object.__setattr__(self, "end_time", utc(self.end_time, "end_time"))


@dataclass(frozen=True, slots=True)
class DatastreamPacket:
    """Many timestamped values of one measurement of one individual from one source."""

    stream_name: str
    individual_id: str
    source: str
    unit: str | None
    confidence: float | None
    points: tuple[Point | IntervalPoint, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.points, tuple):
            object.__setattr__(self, "points", tuple(self.points))


Record = Union[Event, DatastreamPacket]
RecordKind = Literal["event", "datastream"]


def record_kind(record: Record) -> RecordKind:
    """Return `event` or `datastream`."""
    if isinstance(record, Event):
        return "event"
    if isinstance(record, DatastreamPacket):
        return "datastream"
    raise TypeError(f"not a Personicle record: {type(record).__name__}")


def record_name(record: Record) -> str:
    """Return the event type or stream name (what errors and logs name a record by)."""
    return record.event_type if isinstance(record, Event) else record.stream_name


def record_id(record: Record) -> str:
    """Return the deterministic id of a record (same source, individual, name and times: same id).

    Events hash their start and end; packets their first and last point time and point count.
    Times enter at the contract's one-second precision, as consumers see them.
    """
    if isinstance(record, Event):
        key: Sequence[Any] = ("event", record.source, record.individual_id, record.event_type,
                              format_time(record.start_time), format_time(record.end_time))
    elif isinstance(record, DatastreamPacket):
        first, last = _first_time(record.points), _last_time(record.points)
        key = ("datastream", record.source, record.individual_id, record.stream_name,
               first, last, len(record.points))
    else:
        raise TypeError(f"not a Personicle record: {type(record).__name__}")
    text = json.dumps(key, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _first_time(points: Sequence[Point | IntervalPoint]) -> str | None:
    if not points:
        return None
    point = points[0]
    return format_time(point.timestamp if isinstance(point, Point) else point.start_time)


def _last_time(points: Sequence[Point | IntervalPoint]) -> str | None:
    if not points:
        return None
    point = points[-1]
    return format_time(point.timestamp if isinstance(point, Point) else point.end_time)
