"""The contract's wire form of a record (a JSON-ready dict) and its validation rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shared.contract.dictionary import DataDictionary, load_dictionary
from shared.contract.records import DatastreamPacket, Event, IntervalPoint, LatLng, Point, Record
from shared.contract.timefmt import MinuteFormatter, format_time
from shared.contract.validation import validate_event, validate_packet
from shared.errors import RecordValidationError
from shared.fastjson import dumps_validated

EVENT_FIELDS = ("individual_id", "start_time", "end_time", "event_name", "source", "parameters", "event_type")
PACKET_FIELDS = ("streamName", "individual_id", "source", "confidence", "unit", "dataPoints")


def parameters_json(parameters: Mapping[str, Any]) -> str:
    """Return event parameters as the contract's JSON string (sorted keys, compact)."""
    return dumps_validated(dict(parameters), sort_keys=True).decode("utf-8")


def to_wire(record: Record) -> dict[str, Any]:
    """Return the record in the contract's exact shape (field order as in the Avro schemas).

    Times become `YYYY-MM-DD HH:MM:SS` UTC strings, event parameters a JSON string with sorted keys,
    points a `dataPoints` list; int values stay ints.
    """
    if isinstance(record, Event):
        return {
            "individual_id": record.individual_id,
            "start_time": format_time(record.start_time),
            "end_time": format_time(record.end_time),
            "event_name": record.event_name,
            "source": record.source,
            "parameters": parameters_json(record.parameters),
            "event_type": record.event_type,
        }
    if isinstance(record, DatastreamPacket):
        return {
            "streamName": record.stream_name,
            "individual_id": record.individual_id,
            "source": record.source,
            "confidence": record.confidence,
            "unit": record.unit,
            "dataPoints": wire_points(record.points),
        }
    raise TypeError(f"not a Personicle record: {type(record).__name__}")


def wire_points(points: Sequence[Point | IntervalPoint]) -> list[dict[str, Any]]:
    """Return points as wire dicts: `{timestamp, value}` or `{start_time, end_time, value}`."""
    kinds = set(map(type, points))
    if not kinds <= {Point, IntervalPoint}:
        raise TypeError(f"not a data point: {', '.join(sorted(kind.__name__ for kind in kinds))}")
    start, end = MinuteFormatter(), MinuteFormatter()
    if kinds == {Point}:
        return [{"timestamp": start(point.timestamp), "value": _wire_value(point.value)} for point in points]
    if kinds == {IntervalPoint}:
        return [{"start_time": start(point.start_time), "end_time": end(point.end_time),
                 "value": _wire_value(point.value)} for point in points]
    return [wire_points((point,))[0] for point in points]


def _wire_value(value: Any) -> Any:
    if type(value) is not tuple:
        return value
    return [{"latitude": item.latitude, "longitude": item.longitude} if isinstance(item, LatLng) else item
            for item in value]


def wire_kind(wire: Mapping[str, Any]) -> str:
    """Return `datastream` for a wire dict with a streamName, else `event`."""
    return "datastream" if "streamName" in wire else "event"


def wire_name(wire: Mapping[str, Any]) -> str:
    """Return the stream name or event type of a wire dict (for error messages)."""
    name = wire.get("streamName", wire.get("event_type"))
    if isinstance(name, str) and name:
        return name
    return "<datastream>" if "streamName" in wire else "<event>"


def validate_wire(wire: Mapping[str, Any], dictionary: DataDictionary | None = None) -> None:
    """Check a wire dict against the Personicle validation rules and our data dictionary.

    Rules: every field present, no extra field, no null (except a packet's unit and confidence);
    string `YYYY-MM-DD HH:MM:SS` times with start <= end; event parameters a JSON object string;
    a known event type or stream name; the dictionary's unit; a non-empty dataPoints list with the
    stream's point shape; int values (32-bit) for Integer streams, finite numbers for Numeric streams.

    Raises:
        RecordValidationError: naming the stream (or event type), the field and the problem.
    """
    if not isinstance(wire, Mapping):
        raise RecordValidationError("<record>", "record", "expected a JSON object")
    dictionary = dictionary or load_dictionary()
    if "streamName" in wire:
        _check_fields(wire, PACKET_FIELDS)
        validate_packet(wire, dictionary)
    else:
        _check_fields(wire, EVENT_FIELDS)
        validate_event(wire, dictionary)


def _check_fields(wire: Mapping[str, Any], expected: tuple[str, ...]) -> None:
    for field in expected:
        if field not in wire:
            raise RecordValidationError(wire_name(wire), field, "missing")
    for field in wire:
        if field not in expected:
            raise RecordValidationError(wire_name(wire), str(field), "unexpected field")
