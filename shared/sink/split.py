"""Split a datastream packet that would not fit one message into several valid packets."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from shared.contract.records import DatastreamPacket
from shared.errors import RecordValidationError
from shared.fastjson import dumps_validated


def json_body(wire: Mapping[str, Any]) -> bytes:
    """Return the UTF-8 JSON text of a wire dict (the JSON encoding's message body)."""
    return dumps_validated(wire)


def split_packet(packet: DatastreamPacket, wire: Mapping[str, Any],
                 max_body_bytes: int) -> list[tuple[DatastreamPacket, dict[str, Any]]]:
    """Return (packet, wire) parts of a validated packet whose JSON bodies each fit `max_body_bytes`.

    The bound is computed from the longest point, so a part never exceeds the limit and the split
    depends only on the input: the same packet always gives the same parts (and record ids), for
    either encoding (an Avro body is never larger than the JSON body).

    Raises:
        RecordValidationError: a single point (or the packet header) does not fit a message.
    """
    points = wire["dataPoints"]
    header = len(json_body({**wire, "dataPoints": []}))
    longest = _longest_point(points)
    per_part = (max_body_bytes - header) // (longest + 1)
    count = len(points)
    if count <= per_part:
        return [(packet, dict(wire))]
    if per_part < 1:
        raise RecordValidationError(wire["streamName"], "dataPoints",
                                    f"one point does not fit a message of {max_body_bytes} bytes")
    parts = -(-count // per_part)
    bounds = [(index * count // parts, (index + 1) * count // parts) for index in range(parts)]
    return [(dataclasses.replace(packet, points=packet.points[start:end]),
             {**wire, "dataPoints": points[start:end]}) for start, end in bounds]


def _longest_point(points: list[dict[str, Any]]) -> int:
    """Return an upper bound of the JSON length of any one point of a validated packet."""
    values = [point["value"] for point in points]
    if set(map(type, values)) <= {int, float}:
        # Validated points share their keys and 19-character times: only the value's length
        # varies, and json writes ints and floats as their repr.
        template = len(json_body({**points[0], "value": 0})) - 1
        return template + max(map(len, map(repr, values)))
    return max(len(json_body(point)) for point in points)
