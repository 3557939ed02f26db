"""fastavro bodies and content types are byte-identical to the Schema Registry AvroEncoder's."""

from __future__ import annotations

import dataclasses

import pytest
from azure.eventhub import EventData
from azure.schemaregistry.encoder.avroencoder import AvroEncoder

from shared.contract.avro_schemas import schema_for_wire, schema_text
from shared.contract.records import Point
from shared.contract.wire import to_wire
from shared.sink.avro import SchemaIds, avro_body, avro_content_type
from shared.sink.eventhub import EventHubSink
from tests.contract.samples import T0, every_kind, weight
from tests.sink.fakes import FakeEventHubs, StubSchemaRegistry, body_bytes, make_settings

GROUP = "personicle-parity"
ODD_VALUES = dataclasses.replace(weight(), confidence=0.1, points=(
    Point(T0, 72.3), Point(T0.replace(second=1), -0.0), Point(T0.replace(second=2), 3.4e38),
    Point(T0.replace(second=3), 1e-40), Point(T0.replace(second=4), 2**24 + 1)))
RECORDS = {**every_kind(), "numeric-odd-values": ODD_VALUES}


@pytest.mark.parametrize("record", RECORDS.values(), ids=RECORDS.keys())
def test_fastavro_bytes_equal_avro_encoder_bytes(record):
    registry = StubSchemaRegistry()
    wire = to_wire(record)
    schema = schema_for_wire(wire)
    expected = AvroEncoder(client=registry, group_name=GROUP, auto_register=True).encode(
        wire, schema=schema_text(schema), message_type=EventData)
    schema_id = SchemaIds(registry, GROUP, auto_register=True).id_for(schema)
    assert avro_body(wire, schema) == body_bytes(expected)
    assert avro_content_type(schema_id) == expected.content_type


def test_sink_messages_equal_avro_encoder_messages():
    registry = StubSchemaRegistry()
    hubs = FakeEventHubs()
    settings = make_settings(EVENTHUB_ENCODING="avro", SCHEMA_REGISTRY_GROUP=GROUP, SCHEMA_AUTO_REGISTER="false")
    encoder = AvroEncoder(client=registry, group_name=GROUP, auto_register=True)
    expected = {}
    for record in RECORDS.values():
        wire = to_wire(record)
        message = encoder.encode(wire, schema=schema_text(schema_for_wire(wire)), message_type=EventData)
        expected[body_bytes(message)] = message.content_type
    EventHubSink(settings, producer_factory=hubs, schema_registry_factory=lambda: registry).send(list(RECORDS.values()))
    sent = {body_bytes(event): event.content_type
            for hub in ("events", "datastreams") for _, event in hubs.delivered(hub)}
    assert sent == expected
