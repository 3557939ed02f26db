"""Load the data dictionary (`data_dictionary.json`) once, as typed entries."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from shared.contract.records import EVENT_PREFIX, STREAM_PREFIX

DICTIONARY_PATH = Path(__file__).with_name("data_dictionary.json")
ValueType = Literal["Integer", "Numeric", "Json"]
VALUE_TYPES = ("Integer", "Numeric", "Json")
PARAMETER_TYPES = ("Integer", "Numeric", "String", "Boolean", "Json")


@dataclass(frozen=True)
class PublishedEntry:
    """What Personicle's published data dictionary says of a name (empty fields: not published there)."""

    value_type: str = ""
    unit: str = ""
    table: str = ""
    base_schema: str = ""


@dataclass(frozen=True)
class StreamEntry:
    """One datastream of the dictionary: value type, unit, interval flag, Avro schema name.

    `published` holds Personicle's own entry of the name; None marks an extension of ours.
    """

    name: str
    value_type: ValueType
    unit: str | None
    interval: bool
    schema: str
    description: str
    published: PublishedEntry | None = None

    @property
    def extension(self) -> bool:
        """Return True when Personicle's published dictionary lacks this stream."""
        return self.published is None


@dataclass(frozen=True)
class ParameterEntry:
    """One documented event parameter: its value type and unit."""

    name: str
    value_type: str
    unit: str | None


@dataclass(frozen=True)
class EventTypeEntry:
    """One event type of the dictionary, with the parameters it documents (common ones included)."""

    name: str
    event_name: str
    parameters: Mapping[str, ParameterEntry]
    description: str
    published: PublishedEntry | None = None

    @property
    def extension(self) -> bool:
        """Return True when Personicle's published dictionary lacks this event type."""
        return self.published is None


@dataclass(frozen=True)
class DataDictionary:
    """Every datastream and event type the project emits."""

    streams: Mapping[str, StreamEntry]
    event_types: Mapping[str, EventTypeEntry]

    def stream(self, name: str) -> StreamEntry:
        """Return the entry of a full stream name.

        Raises:
            KeyError: the name is not in the dictionary.
        """
        try:
            return self.streams[name]
        except KeyError:
            raise KeyError(f"datastream {name!r} is not in the data dictionary") from None

    def event_type(self, name: str) -> EventTypeEntry:
        """Return the entry of a full event type.

        Raises:
            KeyError: the type is not in the dictionary.
        """
        try:
            return self.event_types[name]
        except KeyError:
            raise KeyError(f"event type {name!r} is not in the data dictionary") from None

    def extensions(self) -> tuple[str, ...]:
        """Return every stream name and event type that is ours only, sorted."""
        names = [entry.name for entry in self.streams.values() if entry.extension]
        names += [entry.name for entry in self.event_types.values() if entry.extension]
        return tuple(sorted(names))

    def is_extension(self, name: str) -> bool:
        """Return True when `name` (a stream name or event type of this dictionary) is an extension.

        Raises:
            KeyError: the name is neither.
        """
        entry = self.streams.get(name) or self.event_types.get(name)
        if entry is None:
            raise KeyError(f"{name!r} is not in the data dictionary")
        return entry.extension


def default_schema(value_type: str, interval: bool) -> str:
    """Return the Avro schema name (file stem under schemas/) for a numeric value type."""
    return f"{value_type.lower()}{'_interval' if interval else ''}_datastream"


def parse_dictionary(document: Mapping[str, Any]) -> DataDictionary:
    """Build a DataDictionary from the JSON document, checking every entry.

    Raises:
        ValueError: naming the first malformed entry.
    """
    streams = {name: _stream(name, spec) for name, spec in document["datastreams"].items()}
    common = _parameters("common_event_parameters", document.get("common_event_parameters", {}))
    events = {}
    for name, spec in document["event_types"].items():
        if not name.startswith(EVENT_PREFIX) or name != name.lower():
            raise ValueError(f"event type {name!r}: expected a lower-case {EVENT_PREFIX}... name")
        own = _parameters(name, spec.get("parameters", {}))
        events[name] = EventTypeEntry(name=name, event_name=str(spec["event_name"]),
                                      parameters=MappingProxyType({**common, **own}),
                                      description=str(spec.get("description", "")),
                                      published=_published(name, spec))
    return DataDictionary(streams=MappingProxyType(streams), event_types=MappingProxyType(events))


def _stream(name: str, spec: Mapping[str, Any]) -> StreamEntry:
    if not name.startswith(STREAM_PREFIX):
        raise ValueError(f"datastream {name!r}: expected a {STREAM_PREFIX}... name")
    value_type = spec.get("value_type")
    if value_type not in VALUE_TYPES:
        raise ValueError(f"datastream {name!r}: value_type must be one of {', '.join(VALUE_TYPES)}")
    interval = spec.get("interval")
    if interval is not ("datastreams.interval" in name):
        raise ValueError(f"datastream {name!r}: interval must be true exactly when the name contains "
                         "'datastreams.interval'")
    unit = spec.get("unit")
    if unit is not None and (not isinstance(unit, str) or not unit):
        raise ValueError(f"datastream {name!r}: unit must be a non-empty string or null")
    schema = spec.get("schema")
    if value_type == "Json":
        if not isinstance(schema, str) or not schema:
            raise ValueError(f"datastream {name!r}: a Json stream names its Avro schema in 'schema'")
    else:
        expected = default_schema(value_type, interval)
        if schema not in (None, expected):
            raise ValueError(f"datastream {name!r}: schema must be {expected}")
        schema = expected
    return StreamEntry(name=name, value_type=value_type, unit=unit, interval=interval, schema=schema,
                       description=str(spec.get("description", "")), published=_published(name, spec))


def _published(name: str, spec: Mapping[str, Any]) -> PublishedEntry | None:
    found = spec.get("personicle")
    if found is None:
        return None
    if not isinstance(found, Mapping) or not all(isinstance(found.get(key, ""), str)
                                                 for key in ("value_type", "unit", "table", "base_schema")):
        raise ValueError(f"{name!r}: 'personicle' must be an object of strings (value_type, unit, table, "
                         "base_schema)")
    return PublishedEntry(**{key: found.get(key, "") for key in ("value_type", "unit", "table", "base_schema")})


def _parameters(owner: str, specs: Mapping[str, Any]) -> dict[str, ParameterEntry]:
    out = {}
    for name, spec in specs.items():
        if spec.get("value_type") not in PARAMETER_TYPES:
            raise ValueError(f"{owner}: parameter {name!r}: value_type must be one of {', '.join(PARAMETER_TYPES)}")
        out[name] = ParameterEntry(name=name, value_type=spec["value_type"], unit=spec.get("unit"))
    return out


@functools.cache
def load_dictionary(path: str | None = None) -> DataDictionary:
    """Return the data dictionary read from `path` (default: the shipped file), cached."""
    with open(path or DICTIONARY_PATH, encoding="utf-8") as handle:
        return parse_dictionary(json.load(handle))


def stream(name: str) -> StreamEntry:
    """Return the shipped dictionary's entry of a full stream name (KeyError when unknown)."""
    return load_dictionary().stream(name)


def event_type(name: str) -> EventTypeEntry:
    """Return the shipped dictionary's entry of a full event type (KeyError when unknown)."""
    return load_dictionary().event_type(name)
