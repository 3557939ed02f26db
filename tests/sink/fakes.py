"""Stand-ins for Azure services the sink talks to: Event Hubs producers and a Schema Registry.

The fake producer hands out the SDK's own EventDataBatch, so batch size limits are the real ones;
the stub registry answers with the SDK's own SchemaProperties and Schema objects.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from azure.core.exceptions import ResourceNotFoundError
from azure.eventhub import EventData, EventDataBatch
from azure.eventhub.exceptions import EventDataSendError
from azure.schemaregistry import Schema, SchemaProperties

from shared.config import Settings, load_settings

STANDARD_LIMIT = 1024 * 1024
BASIC_LIMIT = 256 * 1024
REQUIRED_SETTINGS = {
    "AzureWebJobsStorage": "UseDevelopmentStorage=true",
    "POSTGRES_DSN": "host=127.0.0.1 dbname=unused",
    "TOKEN_ENCRYPTION_KEYS": "k1:" + base64.b64encode(bytes(32)).decode(),
    "PERSONICLE_OIDC_ISSUER": "https://issuer.example",
    "PERSONICLE_OIDC_AUDIENCE": "personicle",
    "PUBLIC_BASE_URL": "https://connect.example",
    "RETURN_TO_ALLOWLIST": "https://app.example",
    "EVENTHUB_FULLY_QUALIFIED_NAMESPACE": "personicle-test.servicebus.windows.net",
}


def make_settings(**values: str) -> Settings:
    """Return Settings from dummy required values plus `values` (app-setting names)."""
    return load_settings({**REQUIRED_SETTINGS, **values})


class RecordingBatch(EventDataBatch):
    """The SDK's EventDataBatch, remembering its partition key and the events added."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.partition_key = kwargs.get("partition_key")
        self.events: list[EventData] = []

    def add(self, event_data: Any) -> None:
        super().add(event_data)
        self.events.append(event_data)


class FakeEventHubs:
    """Producer factory for the sink: one fake producer per hub, sends recorded in order.

    `fail_sends` holds the numbers (1-based, across hubs) of `send_batch` calls that fail the
    way the SDK does when the service does not acknowledge.
    """

    def __init__(self, *, link_limit: int = STANDARD_LIMIT, fail_sends: tuple[int, ...] = ()) -> None:
        self.link_limit = link_limit
        self.fail_sends = set(fail_sends)
        self.send_calls = 0
        self.producers: dict[str, FakeProducer] = {}

    def __call__(self, hub: str) -> FakeProducer:
        producer = FakeProducer(self, hub)
        self.producers[hub] = producer
        return producer

    def sent_batches(self, hub: str) -> list[RecordingBatch]:
        """Return the batches a hub acknowledged, in order."""
        producer = self.producers.get(hub)
        return list(producer.sent) if producer else []

    def delivered(self, hub: str) -> list[tuple[str, EventData]]:
        """Return (partition key, event) of every acknowledged event of a hub, in order."""
        return [(batch.partition_key, event) for batch in self.sent_batches(hub) for event in batch.events]


class FakeProducer:
    """Imitates EventHubProducerClient.create_batch / send_batch / close."""

    def __init__(self, hubs: FakeEventHubs, hub: str) -> None:
        self._hubs = hubs
        self.hub = hub
        self.sent: list[RecordingBatch] = []
        self.closed = False

    def create_batch(self, *, partition_id: str | None = None, partition_key: str | None = None,
                     max_size_in_bytes: int | None = None) -> RecordingBatch:
        if max_size_in_bytes and max_size_in_bytes > self._hubs.link_limit:
            raise ValueError(f"Max message size: {max_size_in_bytes} is too large, acceptable max batch size is: "
                             f"{self._hubs.link_limit} bytes.")
        return RecordingBatch(max_size_in_bytes=max_size_in_bytes or self._hubs.link_limit,
                              partition_id=partition_id, partition_key=partition_key)

    def send_batch(self, batch: RecordingBatch, **kwargs: Any) -> None:
        self._hubs.send_calls += 1
        if self._hubs.send_calls in self._hubs.fail_sends:
            raise EventDataSendError("the service did not acknowledge the batch")
        self.sent.append(batch)

    def close(self, **kwargs: Any) -> None:
        self.closed = True


class StubSchemaRegistry:
    """In-memory Schema Registry with the methods AvroEncoder and the sink call."""

    def __init__(self) -> None:
        self.schemas: dict[str, tuple[str, str, str]] = {}
        self.calls: list[str] = []
        self.closed = False

    def register_schema(self, group_name: str, name: str, definition: str, format: str,
                        **kwargs: Any) -> SchemaProperties:
        self.calls.append("register_schema")
        schema_id = hashlib.sha256(f"{group_name}/{name}/{definition}".encode()).hexdigest()[:32]
        self.schemas[schema_id] = (group_name, name, definition)
        return self._properties(schema_id)

    def get_schema_properties(self, group_name: str, name: str, definition: str, format: str,
                              **kwargs: Any) -> SchemaProperties:
        self.calls.append("get_schema_properties")
        for schema_id, known in self.schemas.items():
            if known == (group_name, name, definition):
                return self._properties(schema_id)
        raise ResourceNotFoundError(f"schema {name} not found in group {group_name}")

    def get_schema(self, schema_id: str, **kwargs: Any) -> Schema:
        self.calls.append("get_schema")
        if schema_id not in self.schemas:
            raise ResourceNotFoundError(f"schema id {schema_id} not found")
        return Schema(definition=self.schemas[schema_id][2], properties=self._properties(schema_id))

    def id_of(self, name: str) -> str:
        """Return the id registered for a schema full name."""
        return next(schema_id for schema_id, known in self.schemas.items() if known[1] == name)

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> StubSchemaRegistry:
        return self

    def __exit__(self, *exc_details: Any) -> None:
        self.close()

    def _properties(self, schema_id: str) -> SchemaProperties:
        group_name, name, _ = self.schemas[schema_id]
        return SchemaProperties(id=schema_id, format="Avro", group_name=group_name, name=name, version=1)


def body_bytes(event: EventData) -> bytes:
    """Return the body of an EventData."""
    return b"".join(event.body)
