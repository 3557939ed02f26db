"""Only new or changed records are sent: the delivery ledger with the engine, over an in-memory store."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import pytest

from shared.contract.records import Event
from shared.errors import SinkError
from shared.jobs import DownloadJob
from shared.store.cursors import StreamCursor
from shared.store.deliveries import Delivery
from shared.sync.deliveries import DeliveryLedger, Group, content_digest, record_end
from shared.sync.streams import Page, Stream, StreamContext
from tests.contract.samples import heart_rate
from tests.sync.test_engine_rules import CONNECTION, NOW, MemorySink, MemoryStore, connection, rig

SLEEP = "com.personicle.individual.events.sleep"
KEEP = timedelta(hours=4)  # twice the rules' 120-minute overlap


@dataclass
class MemoryLedgerStore:
    """`LedgerStore` in memory."""

    rows: dict[tuple[Group, str], tuple[bytes, datetime]] = field(default_factory=dict)

    def digests(self, group, record_ids):
        return {rid: self.rows[(group, rid)][0] for rid in record_ids if (group, rid) in self.rows}

    def remember(self, deliveries: list[Delivery], now):
        for d in deliveries:
            self.rows[((d.individual_id, d.source, d.stream), d.record_id)] = (d.digest, d.ends_at)

    def forget(self, group, ended_before):
        for key in [key for key, (_, ends) in self.rows.items() if key[0] == group and ends < ended_before]:
            del self.rows[key]


def sleep(context: StreamContext, start: datetime, score: int) -> Event:
    return Event(context.individual_id, start, start + timedelta(minutes=50), SLEEP, "Sleep", context.source,
                 {"duration": 3000, "efficiency": score})


def hourly_sleeps(scores: dict[datetime, int]) -> Stream:
    """A stream with one short sleep starting every hour of the window, scored from `scores` (default 90)."""

    def fetch(context: StreamContext, start: datetime, end: datetime, token: str | None) -> Page:
        context.api.get_json("https://provider.example/sleep")
        first = start.replace(minute=0, second=0, microsecond=0)
        first = first if first >= start else first + timedelta(hours=1)
        starts = []
        while first < end:
            starts.append(first)
            first += timedelta(hours=1)
        return Page(tuple(sleep(context, at, scores.get(at, 90)) for at in starts), None)

    return Stream(name="sleep", scopes=(), max_window=timedelta(days=4), fetch_page=fetch)


def synced(hours_ago: int) -> MemoryStore:
    return MemoryStore(connection(), {"sleep": StreamCursor("sleep", NOW - timedelta(hours=hours_ago), NOW, "ok",
                                                            None)})


def run(setup, ledger, reason="incremental"):
    engine = replace(setup.engine(), deliveries=ledger) if ledger else setup.engine()
    return engine.run(DownloadJob(CONNECTION, "fake", reason, ()))


def test_a_second_incremental_sync_over_unchanged_data_sends_nothing():
    ledger = DeliveryLedger(MemoryLedgerStore(), KEEP)
    first = run(rig(hourly_sleeps({}), store=synced(0)), ledger)
    second = run(rig(hourly_sleeps({}), store=synced(0)), ledger)
    without_ledger = run(rig(hourly_sleeps({}), store=synced(0)), None)
    assert (first.records_sent, second.records_sent, without_ledger.records_sent) == (2, 0, 2)  # 120-min overlap


def test_a_changed_record_is_sent_again_with_its_record_id():
    ledger = DeliveryLedger(MemoryLedgerStore(), KEEP)
    run(rig(hourly_sleeps({}), store=synced(0)), ledger)
    rescored = rig(hourly_sleeps({NOW - timedelta(hours=1): 75}), store=synced(0))
    outcome = run(rescored, ledger)
    assert outcome.records_sent == 1
    [[event]] = rescored.sink.batches
    assert (event.start_time, event.parameters["efficiency"]) == (NOW - timedelta(hours=1), 75)


def test_a_delivery_the_sink_did_not_confirm_is_not_remembered_so_it_is_sent_again():
    store = MemoryLedgerStore()
    ledger = DeliveryLedger(store, KEEP)
    failing = rig(hourly_sleeps({}), store=synced(0))
    failing.sink = MemorySink(fail_on=1)
    with pytest.raises(SinkError):
        run(failing, ledger)
    assert store.rows == {}
    again = rig(hourly_sleeps({}), store=synced(0))
    assert run(again, ledger).records_sent == 2


def test_deliveries_out_of_reach_of_later_rereads_are_forgotten():
    store = MemoryLedgerStore()
    ledger = DeliveryLedger(store, KEEP)
    run(rig(hourly_sleeps({}), store=synced(10)), ledger)  # reads 12 hours: 12 sleeps
    assert len(store.rows) == 12
    ends = sorted(ends for _, ends in store.rows.values())
    assert ends[0] >= ends[-1] - timedelta(hours=11)
    ledger.confirmed([sleep(StreamContext(None, "", "user-1", "fake"), NOW + timedelta(hours=3), 90)], NOW)
    assert min(ends for _, ends in store.rows.values()) >= NOW + timedelta(hours=3, minutes=50) - KEEP


def test_the_digest_covers_the_content_and_the_end_is_the_last_time():
    context = StreamContext(None, "", "user-1", "fake")
    assert content_digest(sleep(context, NOW, 90)) == content_digest(sleep(context, NOW, 90))
    assert content_digest(sleep(context, NOW, 90)) != content_digest(sleep(context, NOW, 91))
    assert record_end(sleep(context, NOW, 90)) == NOW + timedelta(minutes=50)
    packet = heart_rate(3, start=NOW)
    assert content_digest(packet) == content_digest(heart_rate(3, start=NOW))
    changed = replace(packet, points=(*packet.points[:2], replace(packet.points[2], value=150)))
    assert content_digest(changed) != content_digest(packet)
    assert content_digest(replace(packet, unit="count")) != content_digest(packet)
    assert record_end(packet) == NOW + timedelta(seconds=2)
