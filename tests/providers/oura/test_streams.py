"""The `oura` stream declarations read the sandbox over real HTTP: call budget, exactly-once windows,
paging, the long-range fallback, and how refusals surface (the engine's error classes)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from devtools.sandbox import Fault
from shared.contract.records import DatastreamPacket, Event, IntervalPoint, Record, record_id
from shared.contract.wire import to_wire, validate_wire
from shared.errors import ProviderRejected, RateLimited, ReauthRequired, ScopeMissing, TransientProviderError
from shared.providers.oura.streams import STREAMS as OURA_STREAMS
from shared.sync.streams import Stream
from tests.providers.api import read_window
from tests.providers.oura.sandbox_view import NOW_TIME, Oura, oura  # noqa: F401

STREAMS = {stream.name: stream for stream in OURA_STREAMS}
LIGHT = [name for name in STREAMS if name not in ("heartrate", "daily_activity")]


def _items(records: list[Record]) -> set[tuple[Any, ...]]:
    """Return every event id and every data point, independent of how points were packed."""
    out: set[tuple[Any, ...]] = set()
    for record in records:
        if isinstance(record, Event):
            out.add(("event", record_id(record)))
            continue
        assert isinstance(record, DatastreamPacket)
        for point in record.points:
            if isinstance(point, IntervalPoint):
                out.add((record.stream_name, point.start_time, point.end_time, point.value))
            else:
                out.add((record.stream_name, point.timestamp, point.value))
    return out


def _read(oura: Oura, stream: Stream, start: datetime, end: datetime, user: str = "alice") -> tuple[list[Record], int]:
    context, api = oura.context(user)
    read = read_window(stream, context, start, end)
    return read.records, api.calls


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_a_year_backfill_costs_one_call_per_collection_plus_extra_pages(oura: Oura, name: str) -> None:
    oura.state.counters.clear()
    records, calls = _read(oura, STREAMS[name], NOW_TIME - timedelta(days=365), NOW_TIME, user="bob")
    path = STREAMS[name].tags[0]

    assert records and calls == oura.state.counters.get(f"oura.{path}")
    if name == "heartrate":
        points = sum(len(r.points) for r in records if isinstance(r, DatastreamPacket))
        assert calls == -(-points // 10000) > 1  # one request, followed through pages of 10,000 rows
    else:
        assert calls == 1


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_records_of_every_stream_fit_the_contract(oura: Oura, name: str) -> None:
    records, _ = _read(oura, STREAMS[name], NOW_TIME - timedelta(days=20), NOW_TIME, user="carol")

    for record in records:
        validate_wire(to_wire(record))
    assert all(r.source == "oura" and r.individual_id == "personicle-carol" for r in records)


@pytest.mark.parametrize("name", LIGHT + ["heartrate"])
def test_consecutive_windows_emit_every_record_exactly_once(oura: Oura, name: str) -> None:
    start, end = NOW_TIME - timedelta(days=40), NOW_TIME - timedelta(hours=5)
    whole, _ = _read(oura, STREAMS[name], start, end)
    cuts = [start, start + timedelta(days=9, hours=7, minutes=13), start + timedelta(days=20, hours=22),
            start + timedelta(days=20, hours=23, seconds=1), start + timedelta(days=33, hours=3, minutes=30), end]
    pieces: list[Record] = []
    for low, high in zip(cuts, cuts[1:]):
        pieces += _read(oura, STREAMS[name], low, high)[0]
    events = [record_id(r) for r in pieces if isinstance(r, Event)]

    assert _items(whole) and _items(pieces) == _items(whole)
    assert len(events) == len(set(events))


@pytest.mark.parametrize("name", ["sleep", "daily_activity", "session", "heartrate"])
def test_rereads_give_identical_records_and_ids(oura: Oura, name: str) -> None:
    start, end = NOW_TIME - timedelta(days=15), NOW_TIME
    first, _ = _read(oura, STREAMS[name], start, end)
    again, _ = _read(oura, STREAMS[name], start, end)

    assert [record_id(r) for r in first] == [record_id(r) for r in again]
    assert [to_wire(r) for r in first] == [to_wire(r) for r in again]


@pytest.mark.parametrize(("name", "knobs"), [
    ("sleep", {"page_size": 2}), ("daily_readiness", {"page_size": 3}), ("heartrate", {"heartrate_page_size": 300}),
], ids=["sleep", "daily-readiness", "heartrate"])
def test_small_pages_are_followed_to_the_end(oura: Oura, name: str, knobs: dict[str, Any]) -> None:
    start, end = NOW_TIME - timedelta(days=6), NOW_TIME
    whole, whole_calls = _read(oura, STREAMS[name], start, end)
    oura.configure(**knobs)
    paged, calls = _read(oura, STREAMS[name], start, end)

    assert whole_calls == 1 and calls > 2 and _items(paged) == _items(whole)


@pytest.mark.parametrize(("name", "max_days", "calls"), [
    ("heartrate", 30, 1 + 4), ("daily_sleep", 90, 1 + 2), ("workout", 90, 1 + 2), ("daily_sleep", 30, 2 + 6),
], ids=["heartrate-29-day-chunks", "daily-86-day-chunks", "workout-86-day-chunks", "daily-26-day-chunks"])
def test_a_refused_long_range_is_read_again_in_chunks(oura: Oura, name: str, max_days: int, calls: int) -> None:
    span = 100 if name == "heartrate" else 150
    start, end = NOW_TIME - timedelta(days=span), NOW_TIME
    whole, _ = _read(oura, STREAMS[name], start, end, user="bob")
    oura.configure(max_range_days=max_days, heartrate_page_size=100000)
    oura.state.counters.clear()
    chunked, made = _read(oura, STREAMS[name], start, end, user="bob")

    assert made == calls == oura.state.counters.get(f"oura.{STREAMS[name].tags[0]}")
    assert _items(chunked) == _items(whole)


def test_a_chunk_still_refused_stops_the_stream(oura: Oura) -> None:
    oura.configure(max_range_days=10)
    context, _ = oura.context()

    with pytest.raises(ProviderRejected) as refused:
        read_window(STREAMS["daily_sleep"], context, NOW_TIME - timedelta(days=200), NOW_TIME)
    assert refused.value.status == 400


@pytest.mark.parametrize(("scope", "name", "knobs"), [
    ("daily", "daily_stress", {}),
    ("daily", "heartrate", {"scope_missing_status": 401}),
    ("daily", "daily_cardiovascular_age", {"scope_missing_status": 401}),
], ids=["403", "401-heartrate", "401-cardiovascular-age"])
def test_a_collection_outside_the_grant_is_scope_missing(oura: Oura, scope: str, name: str,
                                                         knobs: dict[str, Any]) -> None:
    oura.configure(**knobs)
    context, api = oura.context(scope=scope)

    with pytest.raises(ScopeMissing):
        STREAMS[name].fetch_page(context, NOW_TIME - timedelta(days=3), NOW_TIME, None)
    assert oura.state.counters.get("oura.personal_info") == (1 if knobs else 0)


def test_a_grant_revoked_mid_sync_needs_reauthorisation(oura: Oura) -> None:
    oura.configure(heartrate_page_size=200, revoke_after_calls=2)
    context, api = oura.context()

    with pytest.raises(ReauthRequired):
        read_window(STREAMS["heartrate"], context, NOW_TIME - timedelta(days=3), NOW_TIME)
    assert api.calls == 4  # two pages, the refused third, and the personal_info check


@pytest.mark.parametrize(("setup", "error", "status"), [
    ({"membership_lapsed": True}, ScopeMissing, 403),
    ({"outdated_app": "sleep"}, ProviderRejected, 426),
    ({"rate_limit_per_window": 1}, RateLimited, 429),
    ({"malformed_json": 1}, TransientProviderError, 200),
    (Fault("oura.sleep", status=503), TransientProviderError, 503),
    (Fault("oura.sleep", status=429), RateLimited, 429),
    (Fault("oura.sleep", kind="non_json", status=502), TransientProviderError, 502),
], ids=["membership-lapsed", "app-too-old", "rate-limited-without-body", "malformed-json", "server-error",
        "rate-limited-with-body", "html-error-page"])
def test_refusals_surface_as_the_engine_error_classes(oura: Oura, setup: Any, error: type, status: int) -> None:
    context, _ = oura.context()
    if isinstance(setup, Fault):
        oura.state.faults.add(setup)
    else:
        oura.configure(**setup)
    if "rate_limit_per_window" in getattr(setup, "keys", dict)():
        STREAMS["sleep"].fetch_page(context, NOW_TIME - timedelta(days=2), NOW_TIME, None)

    with pytest.raises(error) as raised:
        STREAMS["sleep"].fetch_page(context, NOW_TIME - timedelta(days=2), NOW_TIME, None)
    assert raised.value.status == status
    if error is RateLimited:
        assert raised.value.retry_after is not None and raised.value.retry_after > 0
