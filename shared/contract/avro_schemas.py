"""The Avro schemas (`schemas/*.avsc`) as text, parsed JSON and full names, read once."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from shared.contract.dictionary import DataDictionary, load_dictionary

SCHEMA_DIR = Path(__file__).with_name("schemas")
EVENT_SCHEMA = "event"


@functools.cache
def schema_text(name: str) -> str:
    """Return the exact text of `schemas/<name>.avsc` (what is registered in the Schema Registry).

    Raises:
        KeyError: no such schema file.
    """
    path = SCHEMA_DIR / f"{name}.avsc"
    if not path.is_file():
        raise KeyError(f"no Avro schema {name!r} in {SCHEMA_DIR}")
    return path.read_text(encoding="utf-8")


@functools.cache
def schema_json(name: str) -> Mapping[str, Any]:
    """Return the parsed JSON of a schema."""
    return json.loads(schema_text(name))


def schema_fullname(name: str) -> str:
    """Return the schema's Avro full name (namespace.name), its name in the Schema Registry."""
    schema = schema_json(name)
    namespace = schema.get("namespace")
    return f"{namespace}.{schema['name']}" if namespace else schema["name"]


def schema_names() -> tuple[str, ...]:
    """Return the names of every shipped schema."""
    return tuple(sorted(path.stem for path in SCHEMA_DIR.glob("*.avsc")))


def schema_for_wire(wire: Mapping[str, Any], dictionary: DataDictionary | None = None) -> str:
    """Return the schema name that encodes a wire dict (event, or the stream's dictionary schema).

    Raises:
        KeyError: the stream is not in the dictionary.
    """
    if "streamName" not in wire:
        return EVENT_SCHEMA
    return (dictionary or load_dictionary()).stream(wire["streamName"]).schema
