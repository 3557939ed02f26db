"""Send only new or changed records: a ledger of what the sink confirmed inside the re-read overlap.

An incremental sync re-reads the overlap before each cursor, since providers revise recent data.
Personicle's events consumer inserts without a conflict rule, so a re-sent event would be stored
twice. The ledger keeps, per individual, source (together: one connection) and stream or event type,
each delivered record's id and content digest; a record is sent again only when it is new or its
content changed (a re-scored sleep keeps its record id). A delivery is remembered only after the
sink confirmed it, so a crash between the two re-sends, never skips.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from shared.contract.records import DatastreamPacket, Event, IntervalPoint, Record, record_id, record_name
from shared.contract.wire import to_wire
from shared.store import deliveries as delivery_store
from shared.store.deliveries import Delivery

Group = tuple[str, str, str]  # individual_id, source, stream or event type


class Deliveries(Protocol):
    """The engine's view of the ledger."""

    def unsent(self, records: Sequence[Record]) -> list[Record]:
        """Return the records that are new or changed since they were last delivered, in order."""

    def confirmed(self, records: Sequence[Record], now: datetime) -> None:
        """Remember that the sink confirmed `records`."""


class SendEverything:
    """`Deliveries` without a ledger: every record is sent (re-read overlaps included)."""

    def unsent(self, records: Sequence[Record]) -> list[Record]:
        """Return every record."""
        return list(records)

    def confirmed(self, records: Sequence[Record], now: datetime) -> None:
        """Remember nothing."""


class LedgerStore(Protocol):
    """Where the ledger lives (PostgreSQL in the app)."""

    def digests(self, group: Group, record_ids: Sequence[str]) -> Mapping[str, bytes]:
        """Return record id -> digest of the given ids already delivered in `group`."""

    def remember(self, deliveries: Sequence[Delivery], now: datetime) -> None:
        """Store confirmed deliveries."""

    def forget(self, group: Group, ended_before: datetime) -> None:
        """Drop deliveries of `group` whose records ended before `ended_before`."""


def content_digest(record: Record) -> bytes:
    """Return the SHA-256 of everything a record carries.

    An event is hashed in its wire form; a packet by its fields and points (times as UTC epoch
    seconds), about three times faster than its wire form for long series.
    """
    if isinstance(record, DatastreamPacket):
        head = (record.stream_name, record.individual_id, record.source, record.unit, record.confidence)
        points = [(point.start_time.timestamp(), point.end_time.timestamp(), point.value)
                  if isinstance(point, IntervalPoint) else (point.timestamp.timestamp(), point.value)
                  for point in record.points]
        return hashlib.sha256(repr((head, points)).encode("utf-8")).digest()
    text = json.dumps(to_wire(record), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).digest()


def record_end(record: Record) -> datetime:
    """Return when a record ends: an event's end, a packet's last point."""
    if isinstance(record, Event):
        return record.end_time
    if isinstance(record, DatastreamPacket) and record.points:
        last = record.points[-1]
        return last.end_time if isinstance(last, IntervalPoint) else last.timestamp
    raise ValueError(f"{record_name(record)}: a record without points has no end")


def group_of(record: Record) -> Group:
    """Return the ledger group of a record."""
    return record.individual_id, record.source, record_name(record)


class DeliveryLedger:
    """`Deliveries` over a `LedgerStore`, keeping deliveries of records that ended within `keep` of the newest reads.

    `keep` should be at least twice the sync overlap: a delivery is forgotten once its record ended
    `keep` before the earliest record of a later delivery in its group, so later re-reads never reach it.
    """

    def __init__(self, store: LedgerStore, keep: timedelta) -> None:
        self._store = store
        self._keep = keep
        self._pending: dict[int, tuple[Record, bytes]] = {}  # digests of the last unsent() answer

    def unsent(self, records: Sequence[Record]) -> list[Record]:
        """Return the records that are new or changed, in order."""
        known: dict[Group, Mapping[str, bytes]] = {}
        for group, members in _grouped(records).items():
            known[group] = self._store.digests(group, [record_id(record) for record in members])
        self._pending = {}
        fresh = []
        for record in records:
            digest = content_digest(record)
            if known[group_of(record)].get(record_id(record)) != digest:
                fresh.append(record)
                self._pending[id(record)] = (record, digest)
        return fresh

    def confirmed(self, records: Sequence[Record], now: datetime) -> None:
        """Remember confirmed records; forget those of their groups that no re-read can reach."""
        if not records:
            return
        self._store.remember([Delivery(*group_of(record), record_id(record), self._digest(record),
                                       record_end(record)) for record in records], now)
        for group, members in _grouped(records).items():
            self._store.forget(group, min(record_end(record) for record in members) - self._keep)

    def _digest(self, record: Record) -> bytes:
        """Return the digest unsent() computed for this very record, else compute it."""
        pending = self._pending.get(id(record))
        return pending[1] if pending is not None and pending[0] is record else content_digest(record)


def _grouped(records: Iterable[Record]) -> dict[Group, list[Record]]:
    groups: dict[Group, list[Record]] = defaultdict(list)
    for record in records:
        groups[group_of(record)].append(record)
    return groups


class PostgresLedgerStore:
    """`LedgerStore` over the app's PostgreSQL database (one short transaction per call)."""

    def __init__(self, database: Any) -> None:
        self._database = database

    def digests(self, group: Group, record_ids: Sequence[str]) -> Mapping[str, bytes]:
        """Return record id -> digest of the given ids already delivered in `group`."""
        with self._database.transaction() as cursor:
            return delivery_store.delivered_digests(cursor, *group, record_ids)

    def remember(self, deliveries: Sequence[Delivery], now: datetime) -> None:
        """Store confirmed deliveries."""
        with self._database.transaction() as cursor:
            delivery_store.record_deliveries(cursor, deliveries, now)

    def forget(self, group: Group, ended_before: datetime) -> None:
        """Drop deliveries of `group` whose records ended before `ended_before`."""
        with self._database.transaction() as cursor:
            delivery_store.forget_deliveries(cursor, *group, ended_before)
