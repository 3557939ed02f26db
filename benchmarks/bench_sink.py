"""Measure the Event Hubs sink's encode + batching speed on one core; print a table.

Cases: a day of 1 Hz heart rate (86,400 points, one packet the sink splits to fit 1 MiB messages)
and 10,000 sleep events; encodings: Avro through fastavro (the sink), JSON (the sink), and, for
comparison, the Schema Registry AvroEncoder on the same prepared messages. Sending goes to the SDK's
own EventDataBatch with a no-op `send_batch`, so batching costs are real and no network is involved.

Run: .venv/bin/python benchmarks/bench_sink.py [--repeat N]
"""

from __future__ import annotations

import argparse
import base64
import gc
import hashlib
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared.config import load_settings  # noqa: E402
from shared.contract.avro_schemas import schema_for_wire, schema_text  # noqa: E402
from shared.contract.records import DatastreamPacket, Event, Point  # noqa: E402
from shared.sink.eventhub import EventHubSink  # noqa: E402
from shared.sink.prepare import Outgoing, prepare  # noqa: E402

UTC = timezone.utc
T0 = datetime(2026, 9, 30, tzinfo=UTC)
LIMIT = 1024 * 1024


class NullProducer:
    """Producer whose batches are the SDK's EventDataBatch and whose send does nothing."""

    def __init__(self, hub: str) -> None:
        self.batches = 0

    def create_batch(self, *, partition_key: str | None = None, **kwargs: Any) -> Any:
        from azure.eventhub import EventDataBatch

        return EventDataBatch(max_size_in_bytes=LIMIT, partition_key=partition_key)

    def send_batch(self, batch: Any, **kwargs: Any) -> None:
        self.batches += 1

    def close(self) -> None:
        """Nothing to close."""


class MemoryRegistry:
    """Schema Registry answering from memory (ids derived from the schema text)."""

    def _properties(self, group_name: str, name: str, definition: str) -> Any:
        from azure.schemaregistry import SchemaProperties

        schema_id = hashlib.sha256(definition.encode()).hexdigest()[:32]
        return SchemaProperties(id=schema_id, format="Avro", group_name=group_name, name=name, version=1)

    def register_schema(self, group_name: str, name: str, definition: str, format: str, **kwargs: Any) -> Any:
        return self._properties(group_name, name, definition)

    get_schema_properties = register_schema

    def close(self) -> None:
        """Nothing to close."""


def settings(encoding: str) -> Any:
    """Return settings for the sink with the given encoding."""
    return load_settings({
        "AzureWebJobsStorage": "UseDevelopmentStorage=true", "POSTGRES_DSN": "host=127.0.0.1",
        "TOKEN_ENCRYPTION_KEYS": "k1:" + base64.b64encode(bytes(32)).decode(),
        "PERSONICLE_OIDC_ISSUER": "https://issuer.example", "PERSONICLE_OIDC_AUDIENCE": "personicle",
        "PUBLIC_BASE_URL": "https://connect.example", "RETURN_TO_ALLOWLIST": "https://app.example",
        "EVENTHUB_FULLY_QUALIFIED_NAMESPACE": "bench.servicebus.windows.net",
        "EVENTHUB_ENCODING": encoding, "SCHEMA_AUTO_REGISTER": "true"})


def heart_rate_day() -> list[DatastreamPacket]:
    """Return a day of 1 Hz heart rate as one packet."""
    points = tuple(Point(T0 + timedelta(seconds=i), 50 + (i * 7) % 90) for i in range(86_400))
    return [DatastreamPacket("com.personicle.individual.datastreams.heartrate", "00u1bench", "fitbit", "bpm",
                             None, points)]


def sleep_events() -> list[Event]:
    """Return 10,000 sleep events."""
    return [Event("00u1bench", T0 + timedelta(days=i), T0 + timedelta(days=i, hours=7, minutes=30),
                  "com.personicle.individual.events.sleep", "Sleep", "fitbit",
                  {"duration": 27000, "utc_offset": "-04:00", "provider_record_id": f"sleep-{i}",
                   "efficiency": 91, "main_sleep": True}) for i in range(10_000)]


def sink(encoding: str) -> EventHubSink:
    """Return an EventHubSink with null producers and an in-memory registry."""
    return EventHubSink(settings(encoding), producer_factory=NullProducer, schema_registry_factory=MemoryRegistry)


def prepared(records: list[Any]) -> list[Outgoing]:
    """Return the sink's prepared messages (validated, split, with ids)."""
    return prepare(records, events_hub="events", datastreams_hub="datastreams", max_message_bytes=LIMIT)


def avro_encoder_deliver() -> Callable[[list[Outgoing]], None]:
    """Return a function encoding prepared messages with the Schema Registry AvroEncoder and batching them."""
    from azure.eventhub import EventData
    from azure.schemaregistry.encoder.avroencoder import AvroEncoder

    encoder = AvroEncoder(client=MemoryRegistry(), group_name="bench", auto_register=True)
    producer = NullProducer("bench")

    def deliver(items: list[Outgoing]) -> None:
        batch = producer.create_batch(partition_key=items[0].partition_key)
        for item in items:
            event = encoder.encode(item.wire, schema=schema_text(schema_for_wire(item.wire)), message_type=EventData)
            event.properties = {"record_id": item.record_id, "kind": item.kind}
            try:
                batch.add(event)
            except ValueError:
                producer.send_batch(batch)
                batch = producer.create_batch(partition_key=item.partition_key)
                batch.add(event)
        producer.send_batch(batch)

    return deliver


def best_time(run: Callable[[list[Any]], Any], records: list[Any], repeat: int) -> float:
    """Return the best wall time of `repeat` runs."""
    run(records)  # warm caches: schemas, schema ids, lazily imported SDKs
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run(records)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Run every case and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    cases = {"heart rate day: 1 packet, 86,400 pts": heart_rate_day(), "10,000 sleep events": sleep_events()}
    avro_sink, json_sink = sink("avro"), sink("json")
    # (label, function, input is records (True) or prepared messages (False))
    paths = [
        ("prepare: wire+validate+split", prepared, True),
        ("avro encode+batch (fastavro)", avro_sink.deliver, False),
        ("json encode+batch", json_sink.deliver, False),
        ("AvroEncoder encode+batch", avro_encoder_deliver(), False),
        ("send avro (prepare+deliver)", avro_sink.send, True),
        ("send json (prepare+deliver)", json_sink.send, True),
    ]
    print(f"{'case':<38} {'path':<30} {'msgs':>5} {'seconds':>8} {'records/s':>10} {'points/s':>11}")
    for case, records in cases.items():
        points = sum(len(r.points) if isinstance(r, DatastreamPacket) else 0 for r in records)
        messages = prepared(records)
        for label, run, takes_records in paths:
            repeat = 1 if label.startswith("AvroEncoder") else args.repeat
            seconds = best_time(run, records if takes_records else messages, repeat)
            point_rate = f"{points / seconds:>11,.0f}" if points else f"{'-':>11}"
            print(f"{case:<38} {label:<30} {len(messages):>5} {seconds:>8.3f} {len(records) / seconds:>10,.0f} "
                  f"{point_rate}")

if __name__ == "__main__":
    main()
