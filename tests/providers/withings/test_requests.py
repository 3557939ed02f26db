"""Withings request pieces without I/O: ranges (dates or lastupdate, never both), rows kept, paging, tokens."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from shared.errors import JobError
from shared.providers.withings.fetch import INCREMENTAL_SPAN, fetch_rows, form, kept, range_params
from shared.providers.withings.paging import decode, encode, next_offset
from shared.providers.withings.provider import SCOPES, WITHINGS
from shared.providers.withings.streams import (
    DAILY_ACTIVITY,
    DAY_WINDOW,
    INTRADAY,
    MEASURES,
    SLEEP,
    SLEEP_SERIES,
    STREAMS,
    WORKOUTS,
    YEAR_WINDOW,
)
from shared.sync.streams import StreamContext

UTC = timezone.utc
START = datetime(2025, 3, 14, 12, 30, 15, 500000, tzinfo=UTC)


def test_a_backfill_window_of_measures_is_read_by_epoch_seconds_covering_it() -> None:
    end = START + YEAR_WINDOW
    assert range_params(MEASURES, START, end) == {"startdate": str(int(START.timestamp())),
                                                  "enddate": str(int(end.timestamp()) + 1)}


@pytest.mark.parametrize("action", [DAILY_ACTIVITY, WORKOUTS, SLEEP])
def test_a_backfill_window_of_days_is_padded_a_day_each_side(action: Any) -> None:
    assert range_params(action, START, START + timedelta(days=30)) == {"startdateymd": "2025-03-13",
                                                                        "enddateymd": "2025-04-14"}


@pytest.mark.parametrize("action", [MEASURES, DAILY_ACTIVITY, WORKOUTS, SLEEP])
def test_a_short_window_is_read_with_lastupdate_and_no_dates(action: Any) -> None:
    params = range_params(action, START, START + INCREMENTAL_SPAN)
    assert params == {"lastupdate": str(int(START.timestamp()))}


def test_sleep_get_always_takes_epoch_dates_and_keeps_by_start() -> None:
    start = START.replace(microsecond=0)
    end = start + timedelta(days=1)
    assert range_params(SLEEP_SERIES, start, end) == {"startdate": str(int(start.timestamp())),
                                                      "enddate": str(int(end.timestamp()))}
    rows = [{"startdate": int((start - timedelta(seconds=1)).timestamp())}, {"startdate": int(start.timestamp())}]
    assert kept(SLEEP_SERIES, rows, start, end) == rows[1:]


@pytest.mark.parametrize("span", [timedelta(hours=3), INCREMENTAL_SPAN, DAY_WINDOW])
def test_intraday_never_sends_lastupdate_and_a_day_window_stays_within_24_hours(span: timedelta) -> None:
    start = START.replace(microsecond=0)
    params = range_params(INTRADAY, start, start + min(span, DAY_WINDOW))
    assert set(params) == {"startdate", "enddate"}
    assert int(params["enddate"]) - int(params["startdate"]) <= 86400


def test_intraday_asks_for_the_mapped_fields_and_the_sample_duration() -> None:
    fields = form(INTRADAY, START, START + DAY_WINDOW, 0)
    assert fields["action"] == "getintradayactivity" and "offset" not in fields
    assert set(fields["data_fields"].split(",")) == {"steps", "distance", "calories", "elevation", "duration",
                                                     "heart_rate", "spo2_auto"}


class _Canned:
    """A `ProviderApi` that answers one canned body and remembers the form it was sent."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body, self.sent = body, []

    def post_form(self, url: str, fields: dict[str, str]) -> dict[str, Any]:
        self.sent.append((url, fields))
        return {"status": 0, "body": self.body}


def test_intraday_reads_the_series_object_keeps_the_window_and_ends_without_paging() -> None:
    start = START.replace(microsecond=0)
    end = start + DAY_WINDOW
    inside, edge = int(start.timestamp()), int(end.timestamp())
    api = _Canned({"series": {str(inside): {"heart_rate": 60}, str(edge): {"heart_rate": 61},
                              str(inside - 60): {"heart_rate": 59}}})
    page = fetch_rows(StreamContext(api, "https://api.test", "person", "withings"), start, end, None,  # type: ignore[arg-type]
                      action=INTRADAY)
    assert api.sent[0][0] == "https://api.test/v2/measure"
    assert page.next_page_token is None
    assert [(p.timestamp, p.value) for r in page.records for p in r.points] == [(start, 60)]


def test_the_form_names_the_action_and_sends_the_offset_after_the_first_page() -> None:
    first = form(MEASURES, START, START + YEAR_WINDOW, 0)
    assert first["action"] == "getmeas" and first["category"] == "1" and "offset" not in first
    assert first["meastypes"].split(",")[:3] == ["1", "4", "5"]
    assert form(SLEEP, START, START + YEAR_WINDOW, 300)["offset"] == "300"
    assert "sleep_score" in form(SLEEP, START, START + YEAR_WINDOW, 0)["data_fields"]


def _group(at: datetime) -> dict[str, Any]:
    return {"date": int(at.timestamp())}


def test_a_date_window_keeps_the_rows_measured_in_it_only() -> None:
    start = START.replace(microsecond=0)
    end = start + timedelta(days=30)
    rows = [_group(start - timedelta(seconds=1)), _group(start), _group(end - timedelta(seconds=1)), _group(end)]
    assert kept(MEASURES, rows, start, end) == rows[1:3]


def test_a_lastupdate_window_keeps_earlier_changes_but_not_rows_after_its_end() -> None:
    start = START.replace(microsecond=0)
    end = start + timedelta(days=2)
    rows = [_group(start - timedelta(days=40)), _group(start), _group(end)]
    assert kept(MEASURES, rows, start, end) == rows[:2]


@pytest.mark.parametrize(("body", "sent", "expected"), [
    ({"more": 1, "offset": 300}, 0, 300), ({"more": True, "offset": 600}, 300, 600),
    ({"more": 0, "offset": 0}, 0, None), ({"more": False, "offset": 300}, 0, None), ({}, 0, None),
    ({"more": 1}, 0, None), ({"more": True, "offset": 300}, 300, None), ({"more": "1", "offset": 300}, 0, None)],
    ids=["int", "bool", "int-end", "bool-end", "absent", "no-offset", "not-advancing", "string"])
def test_next_offset_reads_both_more_types_and_stops_when_nothing_advances(body: dict[str, Any], sent: int,
                                                                           expected: int | None) -> None:
    assert next_offset(body, sent) == expected


def test_page_tokens_round_trip_and_refuse_what_is_not_ours() -> None:
    assert decode(encode(300)) == 300
    assert encode(None) is None and decode(None) == 0
    for bad in ('{"v": 1, "off": 0}', '{"v": 1, "off": "3"}', '{"v": 2, "off": 3}', "nope"):
        with pytest.raises(JobError):
            decode(bad)


def test_streams_cover_the_granted_scopes_and_read_a_year_per_call() -> None:
    assert {s.name: s.max_window.days for s in STREAMS} == {"measures": 366, "activity": 366, "workouts": 366,
                                                          "sleep": 366, "sleep_series": 1, "intraday_activity": 1}
    assert [s.name for s in STREAMS if s.allowed_by(("user.metrics",))] == ["measures"]
    assert WITHINGS.scopes == SCOPES and WITHINGS.scope_separator == ","
    assert WITHINGS.token_params == {"action": "requesttoken"}
