"""Event Hubs sink: one message per record, Avro (Schema Registry) or JSON, batched per partition key."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from shared.config import Settings
from shared.contract.avro_schemas import schema_for_wire
from shared.contract.dictionary import DataDictionary, load_dictionary
from shared.contract.records import Record
from shared.errors import SinkError
from shared.sink.avro import SchemaIds, avro_body, avro_content_type
from shared.sink.azure_clients import AzureClients, ProducerFactory, RegistryFactory, check_eventhub_settings
from shared.sink.base import DEFAULT_MAX_MESSAGE_BYTES
from shared.sink.prepare import Outgoing, max_body_bytes, prepare
from shared.sink.split import json_body

logger = logging.getLogger(__name__)
JSON_CONTENT_TYPE = "application/json"


class EventHubSink:
    """Sends records to the events and datastreams hubs and returns once Event Hubs acknowledged all.

    Each record is one message with partition key `individual_id` and application properties
    `record_id` and `kind`. Messages of one partition key are added to `create_batch` batches in
    order; a full batch is sent before the next starts. Producer clients (one per hub) and the
    Schema Registry client are created on first use and kept until `close`.

    Args:
        settings: hubs, encoding, Schema Registry group and auto-register switch, credentials.
        producer_factory: hub name -> producer (default: EventHubProducerClient from settings).
        schema_registry_factory: () -> Schema Registry client (default: SchemaRegistryClient).
        max_message_bytes: message size packets are split to (Standard tier 1 MiB; Basic 256 KiB).
    """

    def __init__(self, settings: Settings, *, producer_factory: ProducerFactory | None = None,
                 schema_registry_factory: RegistryFactory | None = None,
                 max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
                 dictionary: DataDictionary | None = None) -> None:
        if producer_factory is None or (schema_registry_factory is None and settings.eventhub_encoding == "avro"):
            check_eventhub_settings(settings)
        self._settings = settings
        self._clients = AzureClients(settings)
        self._producer_factory = producer_factory or self._clients.producer
        self._registry_factory = schema_registry_factory or self._clients.schema_registry
        self._max_message_bytes = max_message_bytes
        self._dictionary = dictionary or load_dictionary()
        self._producers: dict[str, Any] = {}
        self._hub_locks: dict[str, threading.Lock] = {}
        self._schema_ids: SchemaIds | None = None
        self._lock = threading.Lock()

    def send(self, records: Sequence[Record]) -> None:
        """Validate, encode and deliver every record (see `RecordSink.send`).

        Raises:
            RecordValidationError: a record breaks the contract; nothing was sent.
            SinkError: Event Hubs or the Schema Registry did not confirm; retry the whole call.
        """
        outgoing = prepare(records, events_hub=self._settings.events_hub,
                           datastreams_hub=self._settings.datastreams_hub,
                           max_message_bytes=self._max_message_bytes, dictionary=self._dictionary)
        self.deliver(outgoing)
        logger.info("sink delivered %d messages for %d records", len(outgoing), len(records))

    def deliver(self, outgoing: Sequence[Outgoing]) -> None:
        """Encode and send prepared messages (see `prepare`), batched per hub and partition key.

        Raises:
            SinkError: Event Hubs or the Schema Registry did not confirm; retry the whole call.
        """
        groups: dict[tuple[str, str], list[Any]] = {}
        for item in outgoing:
            groups.setdefault((item.hub, item.partition_key), []).append(self._event(item))
        for (hub, partition_key), events in groups.items():
            with self._hub_lock(hub):
                self._send_group(self._producer(hub), hub, partition_key, events)

    def close(self) -> None:
        """Close the producers, the Schema Registry client and the credential."""
        with self._lock:
            producers, self._producers = list(self._producers.values()), {}
            schema_ids, self._schema_ids = self._schema_ids, None
        for producer in producers:
            producer.close()
        if schema_ids is not None:
            schema_ids.close()
        self._clients.close()

    def _event(self, item: Outgoing) -> Any:
        from azure.eventhub import EventData

        if self._settings.eventhub_encoding == "json":
            body, content_type = json_body(item.wire), JSON_CONTENT_TYPE
        else:
            schema = schema_for_wire(item.wire, self._dictionary)
            body = avro_body(item.wire, schema)
            content_type = avro_content_type(self._schema_registry().id_for(schema))
        if len(body) > max_body_bytes(self._max_message_bytes):
            raise SinkError(f"{item.name}: encoded body of {len(body)} bytes exceeds the message limit")
        event = EventData(body)
        event.content_type = content_type
        event.properties = {"record_id": item.record_id, "kind": item.kind}
        return event

    def _send_group(self, producer: Any, hub: str, partition_key: str, events: list[Any]) -> None:
        from azure.core.exceptions import AzureError
        from azure.eventhub.exceptions import EventHubError

        try:
            batch = producer.create_batch(partition_key=partition_key)
            for event in events:
                if _try_add(batch, event):
                    continue
                if len(batch) == 0:
                    raise _too_large(hub, batch)
                producer.send_batch(batch)
                batch = producer.create_batch(partition_key=partition_key)
                if not _try_add(batch, event):
                    raise _too_large(hub, batch)
            if len(batch):
                producer.send_batch(batch)
        except (EventHubError, AzureError) as exc:
            raise SinkError(f"delivery to {hub} not confirmed: {type(exc).__name__}: {exc}") from exc

    def _producer(self, hub: str) -> Any:
        with self._lock:
            producer = self._producers.get(hub)
            if producer is None:
                producer = self._producers[hub] = self._producer_factory(hub)
            return producer

    def _hub_lock(self, hub: str) -> threading.Lock:
        with self._lock:
            return self._hub_locks.setdefault(hub, threading.Lock())

    def _schema_registry(self) -> SchemaIds:
        with self._lock:
            if self._schema_ids is None:
                self._schema_ids = SchemaIds(self._registry_factory(), self._settings.schema_registry_group,
                                             self._settings.schema_auto_register)
            return self._schema_ids


def _try_add(batch: Any, event: Any) -> bool:
    """Add an event to a batch; False when the batch is full."""
    try:
        batch.add(event)
    except ValueError:
        return False
    return True


def _too_large(hub: str, batch: Any) -> SinkError:
    return SinkError(f"a message does not fit an empty batch of {hub} ({batch.max_size_in_bytes} bytes): "
                     "lower max_message_bytes")
