"""Record types: UTC times, frozen parameters, kinds and deterministic record ids."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from shared.contract.records import DatastreamPacket, Event, IntervalPoint, Point, record_id, record_kind
from tests.contract.samples import T0, heart_rate, interval_steps, sleep_event


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        Point(datetime(2026, 1, 1, 12), 60)
    with pytest.raises(ValueError, match="start_time"):
        dataclasses.replace(sleep_event(), start_time=datetime(2026, 1, 1))


def test_aware_datetimes_are_converted_to_utc():
    local = datetime(2026, 7, 1, 9, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    point = IntervalPoint(local, local + timedelta(minutes=1), 5)
    assert point.start_time == datetime(2026, 7, 1, 16, 30, tzinfo=timezone.utc)
    assert point.start_time.tzinfo is timezone.utc
    assert Point(local, 1).timestamp.utcoffset() == timedelta(0)


def test_event_parameters_are_frozen_and_json_serialisable():
    source = {"duration": 60}
    event = dataclasses.replace(sleep_event(), parameters=source)
    source["duration"] = 1
    assert event.parameters["duration"] == 60
    with pytest.raises(TypeError):
        event.parameters["duration"] = 2
    with pytest.raises(ValueError, match="JSON-serialisable"):
        dataclasses.replace(sleep_event(), parameters={"when": T0})
    with pytest.raises(ValueError, match="JSON-serialisable"):
        dataclasses.replace(sleep_event(), parameters={"ratio": float("nan")})
    with pytest.raises(ValueError, match="keys must be strings"):
        dataclasses.replace(sleep_event(), parameters={1: "one"})


def test_records_are_hashable_values():
    assert len({sleep_event(), sleep_event(), heart_rate(3), heart_rate(3)}) == 2


def test_points_become_a_tuple():
    packet = dataclasses.replace(heart_rate(), points=[Point(T0, 60)])
    assert packet.points == (Point(T0, 60),)


def test_record_kind():
    assert record_kind(sleep_event()) == "event"
    assert record_kind(heart_rate()) == "datastream"
    with pytest.raises(TypeError):
        record_kind({"streamName": "x"})


def test_record_id_is_deterministic_and_ignores_values_and_sub_seconds():
    packet = heart_rate(10)
    again = heart_rate(10)
    revised = dataclasses.replace(packet, points=tuple(Point(p.timestamp, p.value + 1) for p in packet.points))
    shifted = dataclasses.replace(packet, points=tuple(Point(p.timestamp + timedelta(microseconds=999), p.value)
                                                       for p in packet.points))
    assert record_id(packet) == record_id(again) == record_id(revised) == record_id(shifted)
    assert len(record_id(packet)) == 32
    event = sleep_event()
    assert record_id(event) == record_id(dataclasses.replace(event, parameters={"duration": 1}))


EVENT_CHANGES = {
    "source": lambda e: dataclasses.replace(e, source="oura"),
    "individual": lambda e: dataclasses.replace(e, individual_id="someone-else"),
    "event-type": lambda e: dataclasses.replace(e, event_type=e.event_type + ".stage.deep"),
    "start": lambda e: dataclasses.replace(e, start_time=e.start_time - timedelta(seconds=1)),
    "end": lambda e: dataclasses.replace(e, end_time=e.end_time + timedelta(seconds=1)),
}


@pytest.mark.parametrize("change", EVENT_CHANGES.values(), ids=EVENT_CHANGES.keys())
def test_event_record_id_changes_with_each_identity_part(change):
    event = sleep_event()
    assert record_id(change(event)) != record_id(event)


PACKET_CHANGES = {
    "source": lambda p: dataclasses.replace(p, source="oura"),
    "individual": lambda p: dataclasses.replace(p, individual_id="someone-else"),
    "stream": lambda p: dataclasses.replace(p, stream_name="com.personicle.individual.datastreams.resting_heartrate"),
    "first-time": lambda p: dataclasses.replace(p, points=(Point(T0 - timedelta(seconds=5), 1),) + p.points[1:]),
    "last-time": lambda p: dataclasses.replace(p, points=p.points[:-1] + (Point(T0 + timedelta(hours=1), 1),)),
    "point-count": lambda p: dataclasses.replace(p, points=p.points[:1] + p.points[2:]),
}


@pytest.mark.parametrize("change", PACKET_CHANGES.values(), ids=PACKET_CHANGES.keys())
def test_packet_record_id_changes_with_each_identity_part(change):
    packet = heart_rate(10)
    assert record_id(change(packet)) != record_id(packet)


def test_interval_packet_id_uses_first_start_and_last_end():
    packet = interval_steps(3)
    longer_last = dataclasses.replace(packet, points=packet.points[:-1] + (
        IntervalPoint(packet.points[-1].start_time, packet.points[-1].end_time + timedelta(minutes=1), 0),))
    assert record_id(longer_last) != record_id(packet)


def test_events_and_packets_never_share_ids():
    event = Event(individual_id="u", start_time=T0, end_time=T0, event_type="x", event_name="x", source="s",
                  parameters={})
    packet = DatastreamPacket(stream_name="x", individual_id="u", source="s", unit=None, confidence=None,
                              points=(Point(T0, 1),))
    assert record_id(event) != record_id(packet)
