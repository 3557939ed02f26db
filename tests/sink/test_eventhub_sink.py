"""Event Hubs sink against the SDK's own batches, the real AvroEncoder and a stub Schema Registry."""

from __future__ import annotations

import dataclasses
import io
import json

import fastavro
import pytest
from azure.schemaregistry.encoder.avroencoder import AvroEncoder

from shared.contract.avro_schemas import schema_fullname, schema_json, schema_text
from shared.contract.dictionary import stream
from shared.contract.records import record_id, record_kind
from shared.contract.wire import to_wire, validate_wire
from shared.errors import RecordValidationError, SinkError
from shared.sink.eventhub import EventHubSink
from tests.contract.samples import every_kind, heart_rate, sleep_event, weight
from tests.sink.fakes import BASIC_LIMIT, FakeEventHubs, StubSchemaRegistry, body_bytes, make_settings

GROUP = "personicle-test"


def _sink(hubs, registry=None, *, encoding="avro", auto_register="true", **options):
    settings = make_settings(EVENTHUB_ENCODING=encoding, SCHEMA_REGISTRY_GROUP=GROUP,
                             SCHEMA_AUTO_REGISTER=auto_register)
    return EventHubSink(settings, producer_factory=hubs, schema_registry_factory=lambda: registry, **options)


def _all_delivered(hubs):
    return hubs.delivered("events") + hubs.delivered("datastreams")


@pytest.mark.parametrize("record", every_kind().values(), ids=every_kind().keys())
def test_every_record_kind_round_trips_through_the_avro_encoder(record):
    hubs, registry = FakeEventHubs(), StubSchemaRegistry()
    _sink(hubs, registry).send([record])
    kind = record_kind(record)
    [(partition_key, event)] = hubs.delivered("events" if kind == "event" else "datastreams")
    assert AvroEncoder(client=registry).decode(event) == to_wire(record)
    schema = "event" if kind == "event" else stream(record.stream_name).schema
    assert event.content_type == f"avro/binary+{registry.id_of(schema_fullname(schema))}"
    assert partition_key == record.individual_id
    assert event.properties == {"record_id": record_id(record), "kind": kind}
    assert len(_all_delivered(hubs)) == 1


def test_json_encoding_sends_contract_valid_json_text():
    hubs = FakeEventHubs()
    records = list(every_kind().values())
    _sink(hubs, encoding="json").send(records)
    delivered = hubs.delivered("events") + hubs.delivered("datastreams")
    assert len(delivered) == len(records)
    bodies = {}
    for partition_key, event in delivered:
        assert event.content_type == "application/json"
        body = json.loads(body_bytes(event).decode("utf-8"))
        validate_wire(body)
        assert partition_key == body["individual_id"]
        bodies[event.properties["record_id"]] = body
    assert bodies == {record_id(record): to_wire(record) for record in records}


def test_a_day_of_one_hertz_is_split_into_valid_packets_that_add_up():
    day = heart_rate(86_400)
    for limit in (1024 * 1024, BASIC_LIMIT):
        hubs, registry = FakeEventHubs(link_limit=limit), StubSchemaRegistry()
        _sink(hubs, registry, max_message_bytes=limit).send([day])
        delivered = hubs.delivered("datastreams")
        assert len(delivered) > 1
        schema = fastavro.parse_schema(dict(schema_json("integer_datastream")))
        points, ids = [], []
        for _, event in delivered:
            packet = fastavro.schemaless_reader(io.BytesIO(body_bytes(event)), schema, None)
            validate_wire(packet)
            assert len(body_bytes(event)) < limit
            points.extend(packet["dataPoints"])
            ids.append(event.properties["record_id"])
        assert points == to_wire(day)["dataPoints"]
        assert len(set(ids)) == len(ids)
        for batch in hubs.sent_batches("datastreams"):
            assert batch.size_in_bytes <= batch.max_size_in_bytes == limit
        again = FakeEventHubs(link_limit=limit)
        _sink(again, registry, max_message_bytes=limit).send([day])
        assert [event.properties["record_id"] for _, event in again.delivered("datastreams")] == ids


def test_many_events_fill_several_batches_within_the_limit_in_order():
    hubs = FakeEventHubs(link_limit=BASIC_LIMIT)
    padding = "x" * 400
    events = [dataclasses.replace(sleep_event(minutes=i), parameters={"duration": 60, "note": padding})
              for i in range(2_000)]
    _sink(hubs, StubSchemaRegistry(), max_message_bytes=BASIC_LIMIT).send(events)
    batches = hubs.sent_batches("events")
    assert len(batches) > 3
    assert all(0 < batch.size_in_bytes <= batch.max_size_in_bytes == BASIC_LIMIT for batch in batches)
    delivered_ids = [event.properties["record_id"] for _, event in hubs.delivered("events")]
    assert delivered_ids == [record_id(event) for event in events]


def test_each_individual_gets_its_own_partition_key_in_order():
    hubs = FakeEventHubs()
    records = [heart_rate(3, "alice"), heart_rate(3, "bob"), sleep_event("alice"), sleep_event("bob", minutes=1),
               heart_rate(4, "alice")]
    _sink(hubs, StubSchemaRegistry(), encoding="json").send(records)
    for hub in ("events", "datastreams"):
        for batch in hubs.sent_batches(hub):
            assert {json.loads(body_bytes(e))["individual_id"] for e in batch.events} == {batch.partition_key}
    alice = [e.properties["record_id"] for key, e in hubs.delivered("datastreams") if key == "alice"]
    assert alice == [record_id(records[0]), record_id(records[4])]


def test_a_failed_send_raises_and_a_retry_delivers_everything_with_the_same_ids():
    records = [heart_rate(40_000), sleep_event(), weight()]
    clean = FakeEventHubs(link_limit=BASIC_LIMIT)
    _sink(clean, StubSchemaRegistry(), max_message_bytes=BASIC_LIMIT).send(records)
    expected = [event.properties["record_id"] for _, event in _all_delivered(clean)]
    assert len(clean.sent_batches("datastreams")) > 2

    hubs = FakeEventHubs(link_limit=BASIC_LIMIT, fail_sends=(2,))
    sink = _sink(hubs, StubSchemaRegistry(), max_message_bytes=BASIC_LIMIT)
    with pytest.raises(SinkError, match="not confirmed") as caught:
        sink.send(records)
    assert type(caught.value.__cause__).__name__ == "EventDataSendError"
    first_attempt = [event.properties["record_id"] for _, event in _all_delivered(hubs)]
    assert 0 < len(first_attempt) < len(expected) and set(first_attempt) < set(expected)
    before = {hub: len(producer.sent) for hub, producer in hubs.producers.items()}
    sink.send(records)
    retried = [event.properties["record_id"] for hub, producer in hubs.producers.items()
               for batch in producer.sent[before.get(hub, 0):] for event in batch.events]
    assert sorted(retried) == sorted(expected)


def test_an_invalid_record_stops_the_call_before_anything_is_sent():
    hubs, registry = FakeEventHubs(), StubSchemaRegistry()
    bad = dataclasses.replace(weight(), unit="kg")
    with pytest.raises(RecordValidationError) as caught:
        _sink(hubs, registry).send([sleep_event(), heart_rate(), bad])
    assert (caught.value.stream, caught.value.field) == (bad.stream_name, "unit")
    assert hubs.producers == {} and registry.calls == []


def test_schema_ids_are_looked_up_once_per_schema():
    registry = StubSchemaRegistry()
    sink = _sink(FakeEventHubs(), registry, auto_register="false")
    with pytest.raises(SinkError, match="not registered"):
        sink.send([sleep_event()])
    for schema in ("event", "integer_datastream"):
        registry.register_schema(GROUP, schema_fullname(schema), schema_text(schema), "Avro")
    registry.calls.clear()
    sink.send([sleep_event(), heart_rate()])
    sink.send([sleep_event(minutes=5), heart_rate(7)])
    assert registry.calls == ["get_schema_properties", "get_schema_properties"]


def test_a_message_larger_than_the_hub_allows_is_a_sink_error():
    hubs = FakeEventHubs(link_limit=BASIC_LIMIT)
    with pytest.raises(SinkError, match="lower max_message_bytes"):
        _sink(hubs, StubSchemaRegistry(), encoding="json").send([heart_rate(20_000)])


def test_close_closes_producers_and_registry_and_clients_are_created_lazily():
    hubs, registry = FakeEventHubs(), StubSchemaRegistry()
    sink = _sink(hubs, registry)
    assert hubs.producers == {}
    sink.send([sleep_event()])
    assert set(hubs.producers) == {"events"}
    sink.close()
    assert hubs.producers["events"].closed and registry.closed


def test_hub_names_come_from_settings():
    hubs = FakeEventHubs()
    settings = make_settings(EVENTS_EVENTHUB_NAME="pc-events", DATASTREAMS_EVENTHUB_NAME="pc-streams",
                             EVENTHUB_ENCODING="json")
    EventHubSink(settings, producer_factory=hubs).send([sleep_event(), weight()])
    assert set(hubs.producers) == {"pc-events", "pc-streams"}
