"""The delivery ledger's PostgreSQL store."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from shared.store.deliveries import Delivery
from shared.sync.deliveries import PostgresLedgerStore

NOW = datetime(2026, 10, 1, tzinfo=timezone.utc)
GROUP = ("user-1", "oura", "com.personicle.individual.events.sleep")


def test_remember_look_up_replace_and_forget(database):
    store = PostgresLedgerStore(database)
    store.remember([Delivery(*GROUP, "a", b"\x01" * 32, NOW - timedelta(days=3)),
                    Delivery(*GROUP, "b", b"\x02" * 32, NOW)], NOW)
    assert store.digests(GROUP, ["a", "b", "c"]) == {"a": b"\x01" * 32, "b": b"\x02" * 32}
    assert store.digests(("user-2", "oura", GROUP[2]), ["a"]) == {}
    store.remember([Delivery(*GROUP, "b", b"\x03" * 32, NOW)], NOW)
    assert store.digests(GROUP, ["b"]) == {"b": b"\x03" * 32}
    store.forget(GROUP, NOW - timedelta(days=1))
    assert store.digests(GROUP, ["a", "b"]) == {"b": b"\x03" * 32}
