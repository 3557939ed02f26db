"""The Google Health continuation: our page tokens and the keyset cut that survives tie drops."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from shared.errors import JobError
from shared.providers.fitbit.paging import Continuation, cut, decode, encode
from shared.providers.fitbit.queries import physical_filter, widened_civil_filter

T0 = datetime(2026, 9, 30, 12, 0, tzinfo=timezone.utc)
START, END = T0 - timedelta(days=1), T0 + timedelta(days=1)


def _at(*minutes: int) -> list[datetime]:
    return [T0 + timedelta(minutes=m) for m in minutes]


def test_last_page_emits_everything_and_ends() -> None:
    items = ["a", "b"]
    assert cut(items, _at(2, 1), None, Continuation()) == (items, None)


def test_newest_first_page_holds_back_its_trailing_tie_and_narrows_the_upper_bound() -> None:
    times = _at(10, 9, 9, 8, 8)
    kept, following = cut(["a", "b", "c", "d", "e"], times, "provider-token", Continuation())
    assert kept == ["a", "b", "c"]
    assert following == Continuation(None, times[2])  # next: everything before 9, so both 8s come again


def test_oldest_first_page_holds_back_its_trailing_tie_and_raises_the_lower_bound() -> None:
    times = _at(1, 2, 2, 3, 3)
    current = Continuation(upper=END)
    kept, following = cut(["a", "b", "c", "d", "e"], times, "provider-token", current)
    assert kept == ["a", "b", "c"]
    assert following == Continuation(times[3], END)


def test_keyset_keeps_an_earlier_narrowing() -> None:
    lower = T0 - timedelta(hours=1)
    kept, following = cut(["a", "b"], _at(5, 4), "tok", Continuation(lower=lower, upper=T0 + timedelta(hours=1)))
    assert kept == ["a"] and following == Continuation(lower, T0 + timedelta(minutes=5))


@pytest.mark.parametrize("times", [_at(3, 1, 2), _at(4, 4, 4), _at(7), []],
                         ids=["unordered", "one-run", "single", "empty"])
def test_pages_without_a_usable_order_follow_the_provider_token(times: list[datetime]) -> None:
    items = list(range(len(times)))
    current = Continuation(lower=START, upper=END)
    assert cut(items, times, "provider-token", current) == (items, Continuation(START, END, "provider-token"))


@pytest.mark.parametrize("continuation", [
    Continuation(), Continuation(T0, None), Continuation(None, T0 + timedelta(microseconds=5)),
    Continuation(START, END, "CgwI5t3x\"/+="), Continuation(provider_token="p", unfiltered=True),
], ids=["first", "lower", "upper-microseconds", "provider-token", "unfiltered"])
def test_tokens_round_trip(continuation: Continuation) -> None:
    assert decode(encode(continuation)) == continuation


def test_no_token_is_the_first_page_and_none_ends() -> None:
    assert decode(None) == Continuation() and encode(None) is None


@pytest.mark.parametrize("token", ["not json", '{"v": 2}', '["v", 1]', '{"v": 1, "hi": "yesterday"}'],
                         ids=["not-json", "version", "not-object", "bad-time"])
def test_foreign_tokens_are_refused(token: str) -> None:
    with pytest.raises(JobError):
        decode(token)


def test_filters_quote_rfc3339_and_widen_civil_bounds_by_fourteen_hours() -> None:
    member = "steps.interval.start_time"
    assert physical_filter(member, T0, T0 + timedelta(microseconds=250)) == (
        'steps.interval.start_time >= "2026-09-30T12:00:00Z" AND '
        'steps.interval.start_time < "2026-09-30T12:00:00.000250Z"')
    assert widened_civil_filter("exercise.interval.civil_start_time", T0, T0 + timedelta(seconds=1.5)) == (
        'exercise.interval.civil_start_time >= "2026-09-29T22:00:00" AND '
        'exercise.interval.civil_start_time < "2026-10-01T02:00:02"')
