"""The registration kit of our extensions: entries in Personicle's data dictionary format and their tables.

Personicle's schema-validation service reads `data_dictionary/personicle_data_types.json`
(`{"com.personicle": {"individual": {"events": {...}, "datastreams": {...}}}}`, each datastream with
`ValueType`, `Unit`, `TableName`, `base_schema`), and its datastream consumer creates or writes one
table per stream from the base schema's columns. This module renders both for every extension.
"""

from __future__ import annotations

from typing import Any

from shared.contract.dictionary import DataDictionary, EventTypeEntry, StreamEntry, load_dictionary
from shared.contract.records import STREAM_PREFIX

# Columns of Personicle's datastream base schemas (the consumers' SQLAlchemy models), in PostgreSQL types.
_VALUE_COLUMN = {"Integer": "integer", "Numeric": "double precision"}


def base_schema(entry: StreamEntry) -> str:
    """Return the Personicle base schema file of a numeric stream, e.g. `numeric_interval_datastream_schema.avsc`."""
    if entry.value_type not in _VALUE_COLUMN:
        raise ValueError(f"{entry.name}: only Integer and Numeric extensions have a Personicle base schema")
    return f"{entry.value_type.lower()}{'_interval' if entry.interval else ''}_datastream_schema.avsc"


def table_name(entry: StreamEntry) -> str:
    """Return the table of an extension stream: its short name with dots as underscores."""
    return entry.name[len(STREAM_PREFIX):].replace(".", "_")


def dictionary_entries(dictionary: DataDictionary | None = None) -> dict[str, Any]:
    """Return the extensions as a fragment of Personicle's data dictionary, to merge into its file."""
    dictionary = dictionary or load_dictionary()
    streams = {entry.name: {"ValueType": entry.value_type, "Unit": entry.unit or "", "TableName": table_name(entry),
                            "base_schema": base_schema(entry)}
               for entry in sorted(dictionary.streams.values(), key=lambda e: e.name) if entry.extension}
    events = {entry.name: {"parameters": _parameters(entry)}
              for entry in sorted(dictionary.event_types.values(), key=lambda e: e.name) if entry.extension}
    return {"com.personicle": {"individual": {"events": events, "datastreams": streams}}}


def _parameters(entry: EventTypeEntry) -> dict[str, Any]:
    return {name: {"ValueType": parameter.value_type, "Unit": parameter.unit or "NULL"}
            for name, parameter in sorted(entry.parameters.items())}


def table_definitions(dictionary: DataDictionary | None = None) -> str:
    """Return `CREATE TABLE IF NOT EXISTS` statements for every extension stream, as Personicle's base schemas."""
    dictionary = dictionary or load_dictionary()
    statements = []
    for entry in sorted(dictionary.streams.values(), key=lambda e: e.name):
        if not entry.extension:
            continue
        times = ("start_time", "end_time") if entry.interval else ("timestamp",)
        columns = ["individual_id varchar NOT NULL", *(f"{time} timestamp NOT NULL" for time in times),
                   "source varchar NOT NULL", f"value {_VALUE_COLUMN[entry.value_type]}", "unit varchar",
                   "confidence varchar",
                   f"PRIMARY KEY (individual_id, {', '.join(times)}, source)"]
        body = ",\n    ".join(columns)
        statements.append(f"-- {entry.name} ({entry.unit}): {entry.description}\n"
                          f"CREATE TABLE IF NOT EXISTS {table_name(entry)} (\n    {body}\n);\n")
    return "\n".join(statements)
