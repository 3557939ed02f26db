"""Oura request pieces without I/O: range parameters, our page tokens, and the stream declarations."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from shared.errors import JobError
from shared.providers.oura.fetch import collection_url, date_params, datetime_params
from shared.providers.oura.paging import Continuation, decode, encode
from shared.providers.oura.provider import OURA, SCOPES
from shared.providers.oura.streams import STREAMS as OURA_STREAMS
from shared.providers.oura.streams import YEAR_WINDOW
from shared.sync.streams import StreamContext

UTC = timezone.utc


@pytest.mark.parametrize(("start", "end", "expected"), [
    (datetime(2025, 3, 14, tzinfo=UTC), datetime(2025, 3, 15, tzinfo=UTC), ("2025-03-12", "2025-03-17")),
    (datetime(2025, 3, 14, 23, 59, tzinfo=UTC), datetime(2025, 3, 15, 0, 1, tzinfo=UTC), ("2025-03-12", "2025-03-17")),
    (datetime(2025, 3, 14, 1, tzinfo=timezone(timedelta(hours=5))), datetime(2026, 3, 14, tzinfo=UTC),
     ("2025-03-11", "2026-03-16")),
], ids=["day", "minutes-across-midnight", "year-from-a-local-time"])
def test_date_params_pad_two_days_each_side_of_the_utc_dates(start: datetime, end: datetime,
                                                             expected: tuple[str, str]) -> None:
    assert date_params(start, end) == {"start_date": expected[0], "end_date": expected[1]}


def test_datetime_params_are_utc_whole_seconds_covering_the_window() -> None:
    start = datetime(2025, 3, 14, 1, 2, 3, 900000, tzinfo=timezone(timedelta(hours=2)))
    end = datetime(2025, 3, 15, 0, 0, 0, 1, tzinfo=UTC)

    assert datetime_params(start, end) == {"start_datetime": "2025-03-13T23:02:03Z",
                                           "end_datetime": "2025-03-15T00:00:01Z"}
    assert datetime_params(end - timedelta(microseconds=1), end)["end_datetime"] == "2025-03-15T00:00:01Z"


def test_collection_url_joins_the_base_once() -> None:
    assert collection_url("http://127.0.0.1:7080/oura/", "vO2_max") == \
        "http://127.0.0.1:7080/oura/v2/usercollection/vO2_max"


@pytest.mark.parametrize("continuation", [
    Continuation(),
    Continuation(provider_token="eyJ0b2tlbiI6IDF9"),
    Continuation(datetime(2025, 3, 14, 12, tzinfo=UTC), 30),
    Continuation(datetime(2025, 3, 14, 12, tzinfo=UTC), 90, "next-page"),
], ids=["first", "provider-token", "chunk", "chunk-and-provider-token"])
def test_page_tokens_round_trip(continuation: Continuation) -> None:
    assert decode(encode(continuation)) == continuation


@pytest.mark.parametrize("token", [
    "not json", '{"v": 2}', "[1, 2]", '{"v": 1, "lo": "yesterday"}', '{"v": 1, "days": 0}', '{"v": 1, "days": "30"}',
], ids=["not-json", "unknown-version", "not-an-object", "bad-lower", "zero-days", "days-as-text"])
def test_foreign_page_tokens_are_refused(token: str) -> None:
    with pytest.raises(JobError):
        decode(token)


def test_the_end_of_a_window_has_no_token() -> None:
    assert encode(None) is None and decode(None) == Continuation()


def test_streams_are_registered_and_read_a_year_per_request() -> None:
    names = [stream.name for stream in OURA_STREAMS]

    assert OURA.streams() is OURA_STREAMS
    assert len(set(names)) == len(names) == 12
    assert all(stream.max_window == YEAR_WINDOW >= timedelta(days=365) for stream in OURA_STREAMS)


@pytest.mark.parametrize(("granted", "expected"), [
    (("daily",), {"sleep", "daily_sleep", "daily_readiness", "daily_activity", "daily_stress", "daily_resilience",
                  "daily_cardiovascular_age", "vo2_max"}),
    (("heartrate", "workout", "session"), {"heartrate", "workout", "session"}),
    (("spo2Daily",), {"daily_spo2"}),
    (("spo2",), {"daily_spo2"}),
    (("stress",), {"daily_stress", "daily_resilience"}),
    (("heart_health",), {"daily_resilience", "daily_cardiovascular_age", "vo2_max"}),
    (("personal", "email"), set()),
], ids=["daily", "series-and-events", "spo2Daily", "spo2", "stress", "heart-health", "identity-only"])
def test_only_streams_of_granted_scopes_sync(granted: tuple[str, ...], expected: set[str]) -> None:
    assert {stream.name for stream in OURA_STREAMS if stream.allowed_by(granted)} == expected


def test_every_stream_scope_is_one_the_app_requests() -> None:
    assert {scope for stream in OURA_STREAMS for scope in stream.scopes} <= set(SCOPES)


class CannedOura:
    """Answers GETs with canned bodies, in order, and records what was asked (a stand-in for Oura)."""

    def __init__(self, *bodies: Any) -> None:
        self.bodies = list(bodies)
        self.asked: list[tuple[str, dict[str, Any]]] = []

    def get_json(self, url: str, params: Any = None) -> Any:
        """Return the next canned body."""
        self.asked.append((url, dict(params or {})))
        return self.bodies.pop(0)

    def post_json(self, url: str, body: Any) -> Any:
        """Oura's data routes are GET only."""
        raise AssertionError("unexpected POST")


def test_a_next_token_answered_back_unchanged_ends_the_range() -> None:
    api = CannedOura({"data": [], "next_token": "same"}, {"data": [], "next_token": "same"})
    context = StreamContext(api, "http://oura.test", "person-1", "oura")
    stream = next(s for s in OURA_STREAMS if s.name == "daily_sleep")
    start, end = datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 3, 2, tzinfo=UTC)

    first = stream.fetch_page(context, start, end, None)
    second = stream.fetch_page(context, start, end, first.next_page_token)

    assert decode(first.next_page_token).provider_token == "same" and second.next_page_token is None
    assert [params for _, params in api.asked] == [
        {"start_date": "2025-02-27", "end_date": "2025-03-04"},
        {"start_date": "2025-02-27", "end_date": "2025-03-04", "next_token": "same"}]
    assert api.asked[0][0] == "http://oura.test/v2/usercollection/daily_sleep"
