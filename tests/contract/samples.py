"""Sample records of every kind, with values Avro's 32-bit float holds exactly."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from shared.contract.records import DatastreamPacket, Event, IntervalPoint, LatLng, Point

UTC = timezone.utc
T0 = datetime(2026, 9, 30, 3, 10, tzinfo=UTC)
DS = "com.personicle.individual.datastreams."
EV = "com.personicle.individual.events."
USER = "00u1personicle"


def sleep_event(individual_id: str = USER, minutes: int = 0) -> Event:
    """Return a sleep event with typical parameters."""
    start = T0 + timedelta(minutes=minutes)
    return Event(individual_id=individual_id, start_time=start, end_time=start + timedelta(hours=7, minutes=42),
                 event_type=EV + "sleep", event_name="Sleep", source="fitbit",
                 parameters={"duration": 27720, "utc_offset": "-04:00", "provider_record_id": "sleep-123",
                             "main_sleep": True, "efficiency": 93.5, "notes": "été"})


def heart_rate(count: int = 5, individual_id: str = USER, start: datetime = T0) -> DatastreamPacket:
    """Return an Integer instantaneous packet of `count` 1 Hz points."""
    return DatastreamPacket(stream_name=DS + "heartrate", individual_id=individual_id, source="fitbit", unit="bpm",
                            confidence=None,
                            points=tuple(Point(start + timedelta(seconds=i), 55 + i % 60) for i in range(count)))


def weight() -> DatastreamPacket:
    """Return a Numeric instantaneous packet with a confidence."""
    return DatastreamPacket(stream_name=DS + "weight", individual_id=USER, source="google-fit", unit="kilogram",
                            confidence=0.75, points=(Point(T0, 72.5), Point(T0 + timedelta(days=1), 72)))


def interval_steps(count: int = 3) -> DatastreamPacket:
    """Return an Integer interval packet of per-minute step counts."""
    return DatastreamPacket(stream_name=DS + "interval.step.count", individual_id=USER, source="oura", unit="count",
                            confidence=None,
                            points=tuple(IntervalPoint(T0 + timedelta(minutes=i), T0 + timedelta(minutes=i + 1),
                                                       10 * i) for i in range(count)))


def interval_distance() -> DatastreamPacket:
    """Return a Numeric interval packet."""
    return DatastreamPacket(stream_name=DS + "interval.distance", individual_id=USER, source="fitbit", unit="meters",
                            confidence=1.0,
                            points=(IntervalPoint(T0, T0 + timedelta(minutes=1), 81.25),
                                    IntervalPoint(T0 + timedelta(minutes=1), T0 + timedelta(minutes=2), 0.5)))


def location() -> DatastreamPacket:
    """Return a location (Json) packet."""
    return DatastreamPacket(stream_name=DS + "location", individual_id=USER, source="google-fit", unit=None,
                            confidence=None,
                            points=(Point(T0, (LatLng(33.6405, -117.8443),)),
                                    Point(T0 + timedelta(seconds=30), (LatLng(33.6406, -117.8441),
                                                                       LatLng(33.6407, -117.844)))))


def every_kind() -> dict[str, object]:
    """Return one record of each kind and value type, keyed by a test id."""
    return {"event": sleep_event(), "integer": heart_rate(), "numeric": weight(), "integer-interval": interval_steps(),
            "numeric-interval": interval_distance(), "location": location()}
