"""Delivered records: per individual, source and stream, the id and content digest of what the sink confirmed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Delivery:
    """One record the sink confirmed: where it belongs, its id, its content digest, and when it ends."""

    individual_id: str
    source: str
    stream: str
    record_id: str
    digest: bytes
    ends_at: datetime


def delivered_digests(cursor: Any, individual_id: str, source: str, stream: str,
                      record_ids: Sequence[str]) -> dict[str, bytes]:
    """Return record id -> digest of the given ids already delivered."""
    cursor.execute(
        "SELECT record_id, digest FROM delivered_records"
        " WHERE individual_id = %s AND source = %s AND stream = %s AND record_id = ANY(%s)",
        (individual_id, source, stream, list(record_ids)))
    return {row[0]: bytes(row[1]) for row in cursor.fetchall()}


def record_deliveries(cursor: Any, deliveries: Iterable[Delivery], now: datetime) -> None:
    """Remember confirmed deliveries (a re-delivered id takes the new digest)."""
    cursor.executemany(
        "INSERT INTO delivered_records (individual_id, source, stream, record_id, digest, ends_at, delivered_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (individual_id, source, stream, record_id) DO UPDATE SET digest = EXCLUDED.digest,"
        " ends_at = EXCLUDED.ends_at, delivered_at = EXCLUDED.delivered_at",
        [(d.individual_id, d.source, d.stream, d.record_id, d.digest, d.ends_at, now) for d in deliveries])


def forget_deliveries(cursor: Any, individual_id: str, source: str, stream: str, ended_before: datetime) -> int:
    """Forget deliveries of records that ended before `ended_before`; return how many."""
    cursor.execute(
        "DELETE FROM delivered_records WHERE individual_id = %s AND source = %s AND stream = %s AND ends_at < %s",
        (individual_id, source, stream, ended_before))
    return cursor.rowcount
