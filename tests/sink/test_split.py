"""Splitting oversized datastream packets into valid, deterministic parts."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from shared.contract.records import IntervalPoint, LatLng, Point, record_id
from shared.contract.wire import to_wire, validate_wire
from shared.errors import RecordValidationError
from shared.sink.split import json_body, split_packet
from tests.contract.samples import T0, heart_rate, interval_distance, location, weight

LIMIT = 16 * 1024


def _varied_weights(count):
    values = [72, 72.125, -1.0000000000000002e-300, 3.4e38, 0.1 + 0.2, 123456789]
    return dataclasses.replace(weight(), points=tuple(Point(T0 + timedelta(seconds=i), values[i % len(values)])
                                                      for i in range(count)))


def _long_intervals(count):
    return dataclasses.replace(interval_distance(), points=tuple(
        IntervalPoint(T0 + timedelta(minutes=i), T0 + timedelta(minutes=i + 1), i * 0.5) for i in range(count)))


def _many_positions(count):
    return dataclasses.replace(location(), points=tuple(
        Point(T0 + timedelta(seconds=i), tuple(LatLng(33.0 + j / 1000, -117.0 - j / 7) for j in range(1 + i % 5)))
        for i in range(count)))


PACKETS = {"integer": heart_rate(5_000), "numeric-varied": _varied_weights(3_000),
           "interval": _long_intervals(2_000), "location": _many_positions(1_000)}


@pytest.mark.parametrize("packet", PACKETS.values(), ids=PACKETS.keys())
def test_parts_fit_add_up_and_are_valid(packet):
    wire = to_wire(packet)
    parts = split_packet(packet, wire, LIMIT)
    assert len(parts) > 1
    for part, part_wire in parts:
        assert len(json_body(part_wire)) <= LIMIT
        assert to_wire(part) == part_wire
        validate_wire(part_wire)
    assert [p for _, part_wire in parts for p in part_wire["dataPoints"]] == wire["dataPoints"]
    sizes = [len(part.points) for part, _ in parts]
    assert max(sizes) - min(sizes) <= 1


@pytest.mark.parametrize("packet", PACKETS.values(), ids=PACKETS.keys())
def test_the_same_packet_always_splits_the_same_way(packet):
    first = [record_id(part) for part, _ in split_packet(packet, to_wire(packet), LIMIT)]
    rebuilt = dataclasses.replace(packet, points=tuple(packet.points))
    assert [record_id(part) for part, _ in split_packet(rebuilt, to_wire(rebuilt), LIMIT)] == first
    assert len(set(first)) == len(first)


def test_a_packet_that_fits_is_kept_whole():
    packet = heart_rate(100)
    [(part, part_wire)] = split_packet(packet, to_wire(packet), LIMIT)
    assert part is packet and part_wire == to_wire(packet)


def test_a_point_larger_than_a_message_is_refused():
    packet = dataclasses.replace(location(), points=(Point(T0, tuple(LatLng(1.5, 2.5) for _ in range(2_000))),
                                                     Point(T0, (LatLng(1.5, 2.5),))))
    with pytest.raises(RecordValidationError) as caught:
        split_packet(packet, to_wire(packet), LIMIT)
    assert caught.value.field == "dataPoints"
