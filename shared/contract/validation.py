"""Per-field validation rules of events and datastream packets in wire form."""

from __future__ import annotations

import json
import math
import operator
import re
from collections.abc import Mapping, Sequence
from typing import Any

from shared.contract.dictionary import DataDictionary, StreamEntry
from shared.contract.timefmt import WIRE_TIME, WIRE_TIME_PATTERN
from shared.errors import RecordValidationError

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
FLOAT32_MAX = 3.4028234663852886e38
_MANY_TIMES = re.compile(f"{WIRE_TIME_PATTERN}(?:\n{WIRE_TIME_PATTERN})*")
_PARAMETER_TYPES = {
    "Integer": lambda value: type(value) is int,
    "Numeric": lambda value: type(value) in (int, float) and math.isfinite(value),
    "String": lambda value: isinstance(value, str),
    "Boolean": lambda value: isinstance(value, bool),
    "Json": lambda value: True,
}


def validate_event(wire: Mapping[str, Any], dictionary: DataDictionary) -> None:
    """Check an event wire dict whose fields are all present (see `validate_wire`)."""
    name = wire["event_type"] if isinstance(wire["event_type"], str) and wire["event_type"] else "<event>"
    for field in ("individual_id", "start_time", "end_time", "event_type", "event_name", "source", "parameters"):
        _text(name, field, wire[field])
    for field in ("start_time", "end_time"):
        if not WIRE_TIME.fullmatch(wire[field]):
            raise RecordValidationError(name, field, "expected a UTC time YYYY-MM-DD HH:MM:SS")
    if wire["start_time"] > wire["end_time"]:
        raise RecordValidationError(name, "end_time", "ends before start_time")
    entry = dictionary.event_types.get(wire["event_type"])
    if entry is None:
        raise RecordValidationError(name, "event_type", "not in the data dictionary")
    try:
        parameters = json.loads(wire["parameters"])
    except ValueError:
        raise RecordValidationError(name, "parameters", "not valid JSON") from None
    if not isinstance(parameters, dict):
        raise RecordValidationError(name, "parameters", "must be a JSON object encoded as a string")
    for key, value in parameters.items():
        if value is None:
            raise RecordValidationError(name, f"parameters.{key}", "must not be null (omit it)")
        documented = entry.parameters.get(key)
        if documented is not None and not _PARAMETER_TYPES[documented.value_type](value):
            raise RecordValidationError(name, f"parameters.{key}",
                                        f"expected {documented.value_type} (unit {documented.unit})")


def validate_packet(wire: Mapping[str, Any], dictionary: DataDictionary) -> None:
    """Check a datastream wire dict whose fields are all present (see `validate_wire`)."""
    stream = _text("<datastream>", "streamName", wire["streamName"])
    entry = dictionary.streams.get(stream)
    if entry is None:
        raise RecordValidationError(stream, "streamName", "not in the data dictionary")
    _text(stream, "individual_id", wire["individual_id"])
    _text(stream, "source", wire["source"])
    if wire["unit"] != entry.unit:
        raise RecordValidationError(stream, "unit", f"must be {entry.unit!r} (the dictionary's unit)")
    confidence = wire["confidence"]
    if confidence is not None and not _is_float32(confidence):
        raise RecordValidationError(stream, "confidence", "must be a finite number or null")
    points = wire["dataPoints"]
    if not isinstance(points, (list, tuple)):
        raise RecordValidationError(stream, "dataPoints", "must be an array")
    if not points:
        raise RecordValidationError(stream, "dataPoints", "must not be empty")
    if not _points_pass_fast(points, entry):
        for index, point in enumerate(points):
            _check_point(stream, entry, index, point)


def _text(name: str, field: str, value: Any) -> str:
    if value is None:
        raise RecordValidationError(name, field, "must not be null")
    if not isinstance(value, str):
        raise RecordValidationError(name, field, f"must be a string, not {type(value).__name__}")
    if not value:
        raise RecordValidationError(name, field, "must not be empty")
    return value


def _is_float32(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value) and abs(value) <= FLOAT32_MAX


def _points_pass_fast(points: Sequence[Any], entry: StreamEntry) -> bool:
    """Return True when every point is valid, checked column-wise; False means look point by point."""
    if entry.value_type == "Json":
        return False
    try:
        if entry.interval:
            starts = [point["start_time"] for point in points]
            ends = [point["end_time"] for point in points]
            if not (_all_times(starts) and _all_times(ends) and all(map(operator.le, starts, ends))):
                return False
            width = 3
        else:
            if not _all_times([point["timestamp"] for point in points]):
                return False
            width = 2
        if set(map(len, points)) != {width}:
            return False
        values = [point["value"] for point in points]
    except (KeyError, TypeError):
        return False
    kinds = set(map(type, values))
    if entry.value_type == "Integer":
        return kinds == {int} and min(values) >= INT32_MIN and max(values) <= INT32_MAX
    return (kinds <= {int, float} and all(map(math.isfinite, values))
            and min(values) >= -FLOAT32_MAX and max(values) <= FLOAT32_MAX)


def _all_times(times: list[Any]) -> bool:
    try:
        joined = "\n".join(times)
    except TypeError:
        return False
    # Each time is exactly 19 characters: the length pins one time per element.
    return len(joined) == 20 * len(times) - 1 and _MANY_TIMES.fullmatch(joined) is not None


def _check_point(stream: str, entry: StreamEntry, index: int, point: Any) -> None:
    where = f"dataPoints[{index}]"
    if not isinstance(point, Mapping):
        raise RecordValidationError(stream, where, "must be an object")
    time_fields = ("start_time", "end_time") if entry.interval else ("timestamp",)
    for field in (*time_fields, "value"):
        if field not in point:
            raise RecordValidationError(stream, f"{where}.{field}", "missing")
    for field in point:
        if field not in time_fields and field != "value":
            raise RecordValidationError(stream, f"{where}.{field}", "unexpected field")
    for field in time_fields:
        _text(stream, f"{where}.{field}", point[field])
        if not WIRE_TIME.fullmatch(point[field]):
            raise RecordValidationError(stream, f"{where}.{field}", "expected a UTC time YYYY-MM-DD HH:MM:SS")
    if entry.interval and point["start_time"] > point["end_time"]:
        raise RecordValidationError(stream, f"{where}.end_time", "ends before start_time")
    _check_value(stream, entry, f"{where}.value", point["value"])


def _check_value(stream: str, entry: StreamEntry, where: str, value: Any) -> None:
    if value is None:
        raise RecordValidationError(stream, where, "must not be null")
    if entry.value_type == "Integer":
        if type(value) is not int:
            raise RecordValidationError(stream, where, f"must be an int (Integer stream), not {type(value).__name__}")
        if not INT32_MIN <= value <= INT32_MAX:
            raise RecordValidationError(stream, where, "out of the 32-bit int range")
    elif entry.value_type == "Numeric":
        if type(value) not in (int, float):
            raise RecordValidationError(stream, where, f"must be a number, not {type(value).__name__}")
        if not _is_float32(value):
            raise RecordValidationError(stream, where, "must be finite and within the float range")
    elif entry.schema == "location_datastream":
        _check_positions(stream, where, value)


def _check_positions(stream: str, where: str, value: Any) -> None:
    if not isinstance(value, (list, tuple)) or not value:
        raise RecordValidationError(stream, where, "must be a non-empty array of {latitude, longitude}")
    for index, position in enumerate(value):
        here = f"{where}[{index}]"
        if not isinstance(position, Mapping) or set(position) != {"latitude", "longitude"}:
            raise RecordValidationError(stream, here, "must be an object {latitude, longitude}")
        for field, limit in (("latitude", 90.0), ("longitude", 180.0)):
            number = position[field]
            if type(number) not in (int, float) or not math.isfinite(number) or abs(number) > limit:
                raise RecordValidationError(stream, f"{here}.{field}", f"must be a number within +-{limit:g}")
