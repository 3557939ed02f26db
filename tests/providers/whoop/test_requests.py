"""The WHOOP stream hooks' requests and paging, over a recording stand-in for the engine's HTTP path.

The stand-in answers what a test queues and records each call; the hooks, page tokens and mappers
are the real ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from shared.errors import JobError, ProviderRejected
from shared.providers.whoop.fetch import PAGE_LIMIT, body_stamp, collection_query, timestamp
from shared.providers.whoop.paging import decode, encode
from shared.providers.whoop.streams import STREAMS
from shared.sync.streams import StreamContext
from tests.providers.whoop.support import load

UTC = timezone.utc
START, END = datetime(2022, 4, 1, tzinfo=UTC), datetime(2022, 5, 1, tzinfo=UTC)
BY_NAME = {stream.name: stream for stream in STREAMS}


class Recorded:
    """Answers queued bodies (or raises queued errors) and records (url, params) of each call."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        self.calls.append((url, dict(params or {})))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def post_json(self, url: str, body: Any) -> Any:
        raise AssertionError("WHOOP reads are GETs")


def _context(api: Recorded) -> StreamContext:
    return StreamContext(api, "https://api.prod.whoop.com/developer", "person-1", "whoop")


def test_query_uses_utc_milliseconds_the_largest_page_and_camel_case_next_token() -> None:
    assert collection_query(START, END, None, timedelta(0)) == {
        "start": "2022-04-01T00:00:00.000Z", "end": "2022-05-01T00:00:00.000Z", "limit": str(PAGE_LIMIT)}
    assert collection_query(START, END, "MTIz", timedelta(days=3))["nextToken"] == "MTIz"
    assert collection_query(START, END, "MTIz", timedelta(days=3))["start"] == "2022-03-29T00:00:00.000Z"
    assert PAGE_LIMIT == 25
    assert timestamp(datetime(2022, 4, 24, 13, 25, 44, 774999, tzinfo=timezone(timedelta(hours=2)))) == \
        "2022-04-24T11:25:44.774Z"


def test_pages_follow_next_token_with_the_same_range_until_it_is_absent() -> None:
    first, last = load("cycle_example"), dict(load("cycle_example"), next_token=None)
    api = Recorded(first, last)
    stream = BY_NAME["cycle"]

    page = stream.fetch_page(_context(api), START, END, None)
    assert page.next_page_token is not None and decode(page.next_page_token) == "MTIzOjEyMzEyMw"
    final = stream.fetch_page(_context(api), START, END, page.next_page_token)

    assert final.next_page_token is None
    (url_one, one), (url_two, two) = api.calls
    assert url_one == url_two == "https://api.prod.whoop.com/developer/v2/cycle"
    assert "nextToken" not in one and two["nextToken"] == "MTIzOjEyMzEyMw" and "next_token" not in two
    assert {k: v for k, v in two.items() if k != "nextToken"} == one


@pytest.mark.parametrize("ending", [None, "", "absent"])
def test_every_form_of_the_last_page_ends_the_window(ending: str | None) -> None:
    body = dict(load("sleep_example"))
    if ending == "absent":
        body.pop("next_token")
    else:
        body["next_token"] = ending
    assert BY_NAME["sleep"].fetch_page(_context(Recorded(body)), START, END, None).next_page_token is None


def test_a_repeated_next_token_ends_the_window_instead_of_looping() -> None:
    body = load("cycle_example")
    token = encode("MTIzOjEyMzEyMw")
    assert BY_NAME["cycle"].fetch_page(_context(Recorded(body)), START, END, token).next_page_token is None


def test_records_outside_the_window_are_left_to_their_own_window() -> None:
    body = load("workout_example")  # starts 2022-04-24T02:25:44.774Z
    inside = BY_NAME["workout"].fetch_page(_context(Recorded(body)), START, END, None)
    before = BY_NAME["workout"].fetch_page(_context(Recorded(body)), START,
                                           datetime(2022, 4, 24, 2, 25, 44, 774000, tzinfo=UTC), None)
    assert len(inside.records) == 1 and list(before.records) == []


def test_recoveries_are_asked_for_three_days_early_and_kept_by_created_at() -> None:
    api = Recorded(load("recovery_example"))
    created = datetime(2022, 4, 24, 11, 25, 44, 774000, tzinfo=UTC)
    page = BY_NAME["recovery"].fetch_page(_context(api), created, created + timedelta(hours=1), None)

    assert api.calls[0][1]["start"] == "2022-04-21T11:25:44.774Z"
    assert len(page.records) == 5


def test_a_member_without_a_body_measurement_gives_no_records_and_other_refusals_stop_the_stream() -> None:
    missing = Recorded(ProviderRejected("whoop", "whoop answered HTTP 404", status=404))
    assert BY_NAME["body_measurement"].fetch_page(_context(missing), START, END, None).records == ()
    with pytest.raises(ProviderRejected):
        BY_NAME["body_measurement"].fetch_page(
            _context(Recorded(ProviderRejected("whoop", "whoop answered HTTP 400", status=400))), START, END, None)


def test_body_readings_are_stamped_at_the_start_of_the_utc_day_inside_the_window() -> None:
    end = datetime(2022, 4, 24, 9, 30, tzinfo=UTC)
    assert body_stamp(START, end) == datetime(2022, 4, 24, tzinfo=UTC)
    assert body_stamp(datetime(2022, 4, 24, 8, tzinfo=UTC), end) == datetime(2022, 4, 24, 8, tzinfo=UTC)
    assert body_stamp(START, datetime(2022, 4, 25, tzinfo=UTC)) == datetime(2022, 4, 24, tzinfo=UTC)


def test_foreign_page_tokens_are_refused() -> None:
    with pytest.raises(JobError):
        decode("not json")
    assert decode(None) is None and encode(None) is None and encode("") is None


def test_streams_read_a_year_per_window_and_ask_for_their_own_scope() -> None:
    assert {s.name: s.scopes for s in STREAMS} == {
        "cycle": ("read:cycles",), "recovery": ("read:recovery",), "sleep": ("read:sleep",),
        "workout": ("read:workout",), "body_measurement": ("read:body_measurement",)}
    assert all(s.max_window >= timedelta(days=366) for s in STREAMS)
