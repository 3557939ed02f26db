"""The `whoop` streams read the sandbox over real HTTP: the call plan, exactly-once windows, paging,
and how refusals surface (the engine's error classes)."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import pytest

from shared.contract.records import DatastreamPacket, Event, Record, record_id
from shared.contract.wire import to_wire, validate_wire
from shared.errors import RateLimited, ReauthRequired, ScopeMissing
from shared.providers.whoop.streams import STREAMS as WHOOP_STREAMS
from tests.providers.whoop.sandbox_view import NOW_TIME, Whoop, whoop, whoop_server  # noqa: F401
from tests.providers.api import read_window


pytestmark = pytest.mark.integration  # a sandbox of its own, over real HTTP

STREAMS = {stream.name: stream for stream in WHOOP_STREAMS}
COLLECTIONS = [name for name in STREAMS if name != "body_measurement"]


def _items(records: list[Record]) -> set[tuple[Any, ...]]:
    out: set[tuple[Any, ...]] = set()
    for record in records:
        if isinstance(record, Event):
            out.add(("event", record_id(record)))
        else:
            assert isinstance(record, DatastreamPacket)
            out.update((record.stream_name, getattr(p, "timestamp", None) or (p.start_time, p.end_time), p.value)
                       for p in record.points)
    return out


def _raw_count(whoop: Whoop, token: str, path: str, start: str, end: str) -> int:
    count, following = 0, None
    while True:
        params = {"start": start, "end": end, "limit": 25, **({"nextToken": following} if following else {})}
        body = whoop.get(token, path, **params).json()
        count += len(body["records"])
        following = body.get("next_token")
        if not following:
            return count


@pytest.mark.parametrize("name", COLLECTIONS)
def test_a_year_backfill_costs_one_call_per_25_records(whoop: Whoop, name: str) -> None:
    context, api = whoop.context("bob")
    start = NOW_TIME - timedelta(days=365)
    read = read_window(STREAMS[name], context, start, NOW_TIME)
    token = api.token
    padded = start - (timedelta(days=3) if name == "recovery" else timedelta(0))
    returned = _raw_count(whoop, token, STREAMS[name].tags[0], padded.isoformat(), NOW_TIME.isoformat())

    assert read.calls == max(1, math.ceil(returned / 25))
    assert read.records
    for record in read.records:
        validate_wire(to_wire(record))


@pytest.mark.parametrize("name", COLLECTIONS)
def test_split_windows_deliver_what_one_window_does(whoop: Whoop, name: str) -> None:
    context, _ = whoop.context("carol")
    start, middle = NOW_TIME - timedelta(days=30), NOW_TIME - timedelta(days=13, hours=7)
    whole = read_window(STREAMS[name], context, start, NOW_TIME).records
    parts = read_window(STREAMS[name], context, start, middle).records + \
        read_window(STREAMS[name], context, middle, NOW_TIME).records

    assert _items(parts) == _items(whole) and whole


def test_events_carry_the_offset_and_the_provider_id(whoop: Whoop) -> None:
    context, _ = whoop.context("alice")
    events = [r for r in read_window(STREAMS["workout"], context, NOW_TIME - timedelta(days=60), NOW_TIME).records
              if isinstance(r, Event)]

    assert events and all(e.parameters["utc_offset"][0] in "+-" and e.parameters["provider_record_id"] for e in events)
    assert len({e.parameters["provider_record_id"] for e in events}) == len(events)


def test_pending_records_come_once_they_are_scored(whoop: Whoop) -> None:
    whoop.configure(pending_minutes=60 * 24 * 3)
    context, _ = whoop.context("alice")
    window = (NOW_TIME - timedelta(days=10), NOW_TIME)
    early = _items(read_window(STREAMS["sleep"], context, *window).records)
    whoop.configure(pending_minutes=0)
    later = _items(read_window(STREAMS["sleep"], context, *window).records)

    assert early < later


def test_limit_above_25_and_foreign_next_tokens_are_refused_and_snake_case_is_ignored(whoop: Whoop) -> None:
    token = whoop.tokens()["access_token"]
    start, end = (NOW_TIME - timedelta(days=60)).isoformat(), NOW_TIME.isoformat()
    assert whoop.get(token, "v2/cycle", limit=26).status_code == 400
    first = whoop.get(token, "v2/cycle", start=start, end=end, limit=25).json()
    assert first["next_token"]
    assert whoop.get(token, "v2/cycle", start=start, end=end, limit=25, next_token=first["next_token"]).json() == first
    other_end = (NOW_TIME - timedelta(days=1)).isoformat()
    assert whoop.get(token, "v2/cycle", start=start, end=other_end, limit=25,
                     nextToken=first["next_token"]).status_code == 400


def test_rate_limit_headers_and_the_app_wide_limit(whoop: Whoop) -> None:
    whoop.configure(rate_limit_per_minute=3, rate_limit_per_day=10000)
    context, _ = whoop.context("alice")
    token = context.api.token
    answer = whoop.get(token, "v2/user/measurement/body")
    assert answer.headers["X-RateLimit-Limit"] == "3, 3;window=60, 10000;window=86400"
    assert answer.headers["X-RateLimit-Remaining"] == "2"
    whoop.get(token, "v2/user/measurement/body")
    whoop.get(token, "v2/user/measurement/body")
    with pytest.raises(RateLimited) as limited:
        STREAMS["cycle"].fetch_page(context, NOW_TIME - timedelta(days=2), NOW_TIME, None)
    assert 0 < limited.value.retry_after <= 61


def test_refusals_surface_as_the_engine_expects(whoop: Whoop) -> None:
    context, _ = whoop.context("alice", scope="offline read:profile read:cycles")
    window = (NOW_TIME - timedelta(days=2), NOW_TIME)
    with pytest.raises(ReauthRequired):  # a scope not granted answers 401, as the OpenAPI lists
        STREAMS["sleep"].fetch_page(context, *window, None)
    whoop.configure(scope_missing_status=403)
    with pytest.raises(ScopeMissing):
        STREAMS["sleep"].fetch_page(context, *window, None)
    whoop.configure(membership_inactive=True)
    with pytest.raises(ScopeMissing, match="membership is inactive"):
        STREAMS["cycle"].fetch_page(context, *window, None)


def test_body_measurement_is_read_once_and_a_missing_one_gives_nothing(whoop: Whoop) -> None:
    context, api = whoop.context("bob")
    read = read_window(STREAMS["body_measurement"], context, NOW_TIME - timedelta(days=365), NOW_TIME)
    assert read.calls == 1 and {r.stream_name.rsplit(".", 1)[-1] for r in read.records} == {"weight", "height"}
    whoop.configure(body_missing=True)
    assert read_window(STREAMS["body_measurement"], context, NOW_TIME - timedelta(days=1), NOW_TIME).records == []
