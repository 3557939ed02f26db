"""Turn records into outgoing messages: validate all, split large packets, attach ids and routing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shared.contract.dictionary import DataDictionary, load_dictionary
from shared.contract.records import DatastreamPacket, Record, record_id, record_kind, record_name
from shared.contract.wire import to_wire, validate_wire
from shared.errors import RecordValidationError
from shared.sink.split import json_body, split_packet

# Room left in a message for the AMQP envelope: content type, partition key, record_id and kind.
ENVELOPE_RESERVE_BYTES = 4096


@dataclass(frozen=True)
class Outgoing:
    """One message to deliver: a validated wire dict with its id, kind, hub and partition key."""

    record_id: str
    kind: str
    name: str
    hub: str
    partition_key: str
    wire: dict[str, Any]


def max_body_bytes(max_message_bytes: int) -> int:
    """Return the largest message body that leaves room for the envelope."""
    return max_message_bytes - ENVELOPE_RESERVE_BYTES


def prepare(records: Sequence[Record], *, events_hub: str, datastreams_hub: str, max_message_bytes: int,
            dictionary: DataDictionary | None = None) -> list[Outgoing]:
    """Validate every record, then split oversized packets; nothing is sent if any record is invalid.

    Raises:
        RecordValidationError: the first invalid record (stream or event type, field, problem).
    """
    dictionary = dictionary or load_dictionary()
    limit = max_body_bytes(max_message_bytes)
    validated = []
    for record in records:
        kind = record_kind(record)
        wire = to_wire(record)
        validate_wire(wire, dictionary)
        validated.append((kind, record, wire))
    outgoing = []
    for kind, record, wire in validated:
        if isinstance(record, DatastreamPacket):
            parts = split_packet(record, wire, limit)
            hub = datastreams_hub
        else:
            if len(json_body(wire)) > limit:
                raise RecordValidationError(record.event_type, "parameters",
                                            f"the event does not fit a message of {max_message_bytes} bytes")
            parts = [(record, wire)]
            hub = events_hub
        outgoing.extend(Outgoing(record_id=record_id(part), kind=kind, name=record_name(part), hub=hub,
                                 partition_key=part.individual_id, wire=part_wire)
                        for part, part_wire in parts)
    return outgoing
