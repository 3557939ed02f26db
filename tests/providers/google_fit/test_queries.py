"""Google Fit request pieces: bucket alignment, the engine-facing page token, shorter retries, URLs, scopes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from shared.errors import JobError
from shared.providers.google_fit import catalogue
from shared.providers.google_fit.map_values import rfc3339, to_millis
from shared.providers.google_fit.provider import SCOPES
from shared.providers.google_fit.queries import (
    MAX_AGGREGATE_SPAN,
    Cursor,
    aggregate_body,
    aligned,
    dataset_url,
    decode,
    encode,
    shortened,
)
from shared.providers.google_fit.streams import STREAMS as GOOGLE_FIT_STREAMS

UTC = timezone.utc
DAY_MS, HOUR_MS = 86_400_000, 3_600_000


def _ms(*parts: int) -> int:
    return to_millis(datetime(*parts, tzinfo=UTC))


ALIGNMENTS = [
    ("mid-day-window", datetime(2026, 3, 1, 14, 37, tzinfo=UTC), datetime(2026, 3, 4, 9, 5, tzinfo=UTC), DAY_MS,
     (_ms(2026, 3, 1), _ms(2026, 3, 4))),
    ("inside-one-day", datetime(2026, 3, 1, 8, tzinfo=UTC), datetime(2026, 3, 1, 12, tzinfo=UTC), DAY_MS,
     (_ms(2026, 3, 1), _ms(2026, 3, 1))),
    ("across-midnight", datetime(2026, 3, 1, 23, tzinfo=UTC), datetime(2026, 3, 2, 1, tzinfo=UTC), DAY_MS,
     (_ms(2026, 3, 1), _ms(2026, 3, 2))),
    ("hours", datetime(2026, 3, 1, 8, 59, tzinfo=UTC), datetime(2026, 3, 1, 12, 1, tzinfo=UTC), HOUR_MS,
     (_ms(2026, 3, 1, 8), _ms(2026, 3, 1, 12))),
    ("other-zone-input", datetime(2026, 3, 2, 1, tzinfo=timezone(timedelta(hours=2))),
     datetime(2026, 3, 3, 1, tzinfo=timezone(timedelta(hours=2))), DAY_MS, (_ms(2026, 3, 1), _ms(2026, 3, 2))),
]


@pytest.mark.parametrize(("name", "start", "end", "bucket", "expected"), ALIGNMENTS, ids=[r[0] for r in ALIGNMENTS])
def test_windows_are_floored_to_whole_utc_buckets(name: str, start: datetime, end: datetime, bucket: int,
                                                  expected: tuple[int, int]) -> None:
    assert aligned(start, end, bucket) == expected


def test_a_maximal_window_stays_within_the_aggregate_limit_after_alignment() -> None:
    start = datetime(2026, 1, 1, 17, 45, tzinfo=UTC)
    low, high = aligned(start, start + MAX_AGGREGATE_SPAN, DAY_MS)
    assert high - low == 7_776_000_000


def test_tokens_round_trip() -> None:
    cursor = Cursor(_ms(2026, 3, 1), 45 * DAY_MS, "1741586280000000000")
    assert decode(encode(cursor), Cursor(0, 1)) == cursor
    assert encode(None) is None
    assert decode(None, Cursor(5, 6)) == Cursor(5, 6)


BAD_TOKENS = [("not-json", "abc"), ("wrong-version", '{"v": 2, "from": 1, "len": 1}'),
              ("no-window", '{"v": 1}'), ("zero-length", '{"v": 1, "from": 1, "len": 0}'), ("a-list", "[1]")]


@pytest.mark.parametrize(("name", "token"), BAD_TOKENS, ids=[row[0] for row in BAD_TOKENS])
def test_foreign_tokens_are_refused(name: str, token: str) -> None:
    with pytest.raises(JobError):
        decode(token, Cursor(0, 1))


SHORTENINGS = [("ninety-days-to-thirty", 90 * DAY_MS, DAY_MS, 30 * DAY_MS),
               ("thirty-days-halved", 30 * DAY_MS, DAY_MS, 15 * DAY_MS),
               ("odd-days", 15 * DAY_MS, DAY_MS, 7 * DAY_MS), ("three-days", 3 * DAY_MS, DAY_MS, DAY_MS),
               ("one-unit", DAY_MS, DAY_MS, None), ("hours", 2160 * HOUR_MS, HOUR_MS, 720 * HOUR_MS),
               ("a-year-of-sessions", 366 * DAY_MS, DAY_MS, 30 * DAY_MS)]


@pytest.mark.parametrize(("name", "length", "unit", "expected"), SHORTENINGS, ids=[row[0] for row in SHORTENINGS])
def test_refused_ranges_fall_back_to_30_days_then_halve_in_whole_units(name: str, length: int, unit: int,
                                                                      expected: int | None) -> None:
    found = shortened(Cursor(1000, length), unit)
    assert (found.length_ms if found else None) == expected
    assert found is None or found.start_ms == 1000


def test_aggregate_body_asks_every_type_by_name_with_fixed_buckets() -> None:
    group = catalogue.AGGREGATE_GROUPS[0]
    body = aggregate_body(group.specs, 10, 20, DAY_MS)
    assert body == {"startTimeMillis": 10, "endTimeMillis": 20, "bucketByTime": {"durationMillis": DAY_MS},
                    "aggregateBy": [{"dataTypeName": spec.data_type} for spec in group.specs]}


def test_data_source_ids_are_percent_encoded_in_the_path() -> None:
    url = dataset_url("https://fitness.googleapis.com/", catalogue.SLEEP_SEGMENTS_SOURCE, 1, 2)
    assert url == ("https://fitness.googleapis.com/fitness/v1/users/me/dataSources/"
                   "derived%3Acom.google.sleep.segment%3Acom.google.android.gms%3Amerged/datasets/1-2")


def test_session_times_are_rfc3339_utc_with_milliseconds() -> None:
    at = datetime(2026, 3, 1, 10, 5, 7, 123456, tzinfo=timezone(timedelta(hours=1)))
    assert rfc3339(at) == "2026-03-01T09:05:07.123Z"


def test_each_stream_needs_exactly_one_requested_read_scope() -> None:
    for stream in GOOGLE_FIT_STREAMS:
        assert len(stream.scopes) == 1 and stream.scopes[0] in SCOPES, stream.name
    assert {stream.scopes[0] for stream in GOOGLE_FIT_STREAMS} == set(SCOPES) - {"openid", "email"}
    names = [stream.name for stream in GOOGLE_FIT_STREAMS]
    assert len(names) == len(set(names))
