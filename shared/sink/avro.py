"""Avro message bodies via fastavro, and Schema Registry ids looked up once per schema.

The bytes and content type are those of `azure.schemaregistry.encoder.avroencoder.AvroEncoder`
(schemaless Avro binary; `avro/binary+<schema id>`), produced about twenty times faster.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Mapping
from typing import Any, Protocol

from shared.contract.avro_schemas import schema_fullname, schema_json, schema_text
from shared.errors import SinkError

AVRO_MIME_TYPE = "avro/binary"


class SchemaRegistry(Protocol):
    """The part of `azure.schemaregistry.SchemaRegistryClient` the sink uses."""

    def register_schema(self, group_name: str, name: str, definition: str, format: str, **kwargs: Any) -> Any: ...

    def get_schema_properties(self, group_name: str, name: str, definition: str, format: str,
                              **kwargs: Any) -> Any: ...

    def close(self) -> None: ...


@functools.cache
def parsed_schema(name: str) -> Any:
    """Return the fastavro-parsed form of `schemas/<name>.avsc`."""
    import fastavro

    return fastavro.parse_schema(_copy(schema_json(name)))


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def avro_body(wire: Mapping[str, Any], schema_name: str) -> bytes:
    """Return the schemaless Avro binary of a validated wire dict."""
    from fastavro import schemaless_writer

    buffer = io.BytesIO()
    schemaless_writer(buffer, parsed_schema(schema_name), wire)
    return buffer.getvalue()


def avro_content_type(schema_id: str) -> str:
    """Return the content type that carries the schema id."""
    return f"{AVRO_MIME_TYPE}+{schema_id}"


class SchemaIds:
    """Schema Registry ids of our schemas, registered or looked up once per schema and cached."""

    def __init__(self, client: SchemaRegistry, group: str, auto_register: bool) -> None:
        self._client = client
        self._group = group
        self._auto_register = auto_register
        self._ids: dict[str, str] = {}
        self._lock = threading.Lock()

    def id_for(self, schema_name: str) -> str:
        """Return the schema id of `schemas/<schema_name>.avsc`.

        Raises:
            SinkError: the registry refused or could not be reached, or the schema is not
                registered and auto-registration is off.
        """
        cached = self._ids.get(schema_name)
        if cached is not None:
            return cached
        from azure.core.exceptions import AzureError, ResourceNotFoundError

        fullname = schema_fullname(schema_name)
        lookup = self._client.register_schema if self._auto_register else self._client.get_schema_properties
        with self._lock:
            try:
                schema_id = lookup(self._group, fullname, schema_text(schema_name), "Avro").id
            except ResourceNotFoundError:
                raise SinkError(f"schema {fullname} is not registered in group {self._group}; register "
                                "it or set SCHEMA_AUTO_REGISTER=true") from None
            except AzureError as exc:
                raise SinkError(f"Schema Registry lookup of {fullname} failed: {type(exc).__name__}") from exc
            self._ids[schema_name] = schema_id
        return schema_id

    def close(self) -> None:
        """Close the registry client."""
        self._client.close()
