"""Sandbox Google Health rollUp and dailyRollUp over real HTTP: ranges, windows, caps, paging, knobs."""

from __future__ import annotations

import pytest
import requests

from tests.providers.fitbit.conftest import Health, reason


def _range(start: str, end: str, window: str = "900s", **extra) -> dict:
    return {"range": {"startTime": start, "endTime": end}, "windowSize": window, **extra}


def _days(first: tuple[int, int, int], last: tuple[int, int, int], **extra) -> dict:
    def date(value: tuple[int, int, int]) -> dict:
        return {"date": {"year": value[0], "month": value[1], "day": value[2]}}
    return {"range": {"start": date(first), "end": date(last)}, **extra}


def test_roll_up_windows_start_at_the_range_and_the_last_is_truncated(health: Health) -> None:
    body = health.post(health.token(), "total-calories", "rollUp",
                       _range("2026-09-30T10:00:00Z", "2026-09-30T11:10:00Z")).json()
    windows = [(w["startTime"], w["endTime"]) for w in body["rollupDataPoints"]]
    assert windows == [("2026-09-30T10:00:00Z", "2026-09-30T10:15:00Z"), ("2026-09-30T10:15:00Z", "2026-09-30T10:30:00Z"),
                       ("2026-09-30T10:30:00Z", "2026-09-30T10:45:00Z"), ("2026-09-30T10:45:00Z", "2026-09-30T11:00:00Z"),
                       ("2026-09-30T11:00:00Z", "2026-09-30T11:10:00Z")]
    assert all(w["totalCalories"]["kcalSum"] > 10 for w in body["rollupDataPoints"]) and "nextPageToken" not in body


def test_a_fourteen_day_quarter_hour_roll_up_comes_back_in_one_answer(health: Health) -> None:
    body = health.post(health.token(), "total-calories", "rollUp",
                       _range("2026-09-16T00:00:00Z", "2026-09-30T00:00:00Z")).json()
    assert 1150 < len(body["rollupDataPoints"]) <= 14 * 96 and "nextPageToken" not in body


def test_heart_rate_roll_up_gives_doubles(health: Health) -> None:
    body = health.post(health.token("bob"), "heart-rate", "rollUp",
                       _range("2026-09-30T12:00:00Z", "2026-09-30T13:00:00Z", "3600s")).json()
    value = body["rollupDataPoints"][0]["heartRate"]
    assert set(value) == {"beatsPerMinuteMin", "beatsPerMinuteAvg", "beatsPerMinuteMax"}
    assert value["beatsPerMinuteMin"] <= value["beatsPerMinuteAvg"] <= value["beatsPerMinuteMax"]


ROLLUP_ERRORS = [
    ("total-calories", _range("2026-09-01T00:00:00Z", "2026-09-15T00:00:01Z"), "INVALID_ROLLUP_QUERY_DURATION"),
    ("steps", _range("2026-06-01T00:00:00Z", "2026-08-31T00:00:00Z", "86400s"), "INVALID_ROLLUP_QUERY_DURATION"),
    ("steps", _range("2026-09-01T00:00:00Z", "2026-09-02T00:00:00Z", "0.5s"), "INVALID_ROLLUP_WINDOW"),
    ("steps", _range("2026-09-02T00:00:00Z", "2026-09-01T00:00:00Z"), "INVALID_TIME_RANGE"),
    ("total-calories", _range("2026-09-01T00:00:00Z", "2026-09-02T00:00:00Z", "900s", pageSize=1345),
     "INVALID_ROLLUP_QUERY_DURATION"),
    ("steps", {"windowSize": "60s"}, "INVALID_TIME_RANGE_INTERVAL_FORMAT"),
]


@pytest.mark.parametrize(("data_type", "body", "expected"), ROLLUP_ERRORS,
                         ids=["short-cap", "long-cap", "window-below-1s", "inverted", "page-size-ceiling", "no-range"])
def test_roll_up_errors(health: Health, data_type: str, body: dict, expected: str) -> None:
    response = health.post(health.token(), data_type, "rollUp", body)
    assert response.status_code == 400 and reason(response) == expected


def test_ninety_days_is_allowed_for_steps(health: Health) -> None:
    response = health.post(health.token(), "steps", "rollUp",
                           _range("2026-07-01T00:00:00Z", "2026-09-29T00:00:00Z", "86400s"))
    assert response.status_code == 200 and len(response.json()["rollupDataPoints"]) == 90


def test_roll_up_paging_knob_splits_windows_and_tokens_resend_the_body(health: Health) -> None:
    token = health.token()
    request = _range("2026-09-29T00:00:00Z", "2026-09-30T00:00:00Z")
    whole = health.post(token, "total-calories", "rollUp", request).json()["rollupDataPoints"]
    health.configure(rollup_windows_per_page=40)
    pages, answer = [], health.post(token, "total-calories", "rollUp", request).json()
    pages.append(answer["rollupDataPoints"])
    while answer.get("nextPageToken"):
        answer = health.post(token, "total-calories", "rollUp", {**request, "pageToken": answer["nextPageToken"]}).json()
        pages.append(answer["rollupDataPoints"])
    assert [w for page in pages for w in page] == whole and len(pages) == 3
    bad = health.post(token, "total-calories", "rollUp", {**request, "windowSize": "1800s", "pageToken": "x.40"})
    assert reason(bad) == "INVALID_PAGE_TOKEN"


def test_true_zero_windows_and_the_zero_shape_knob(health: Health) -> None:
    token = health.token("bob")
    night = _range("2026-09-30T05:00:00Z", "2026-09-30T06:00:00Z", "900s")
    quiet = [w["steps"] for w in health.post(token, "steps", "rollUp", night).json()["rollupDataPoints"]]
    assert {} in quiet  # worn, asleep, no steps: a true zero with the count omitted
    health.configure(zero_as_string=True)
    shaped = [w["steps"] for w in health.post(token, "steps", "rollUp", night).json()["rollupDataPoints"]]
    assert {"countSum": "0"} in shaped


def test_daily_roll_up_sums_the_local_day_and_its_end_date_knob(health: Health) -> None:
    token = health.token("carol")
    body = health.post(token, "steps", "dailyRollUp", _days((2026, 9, 1), (2026, 9, 4))).json()
    days = [w["civilStartTime"]["date"]["day"] for w in body["rollupDataPoints"]]
    assert days == [1, 2, 3] and body["rollupDataPoints"][0]["civilStartTime"]["time"] == {}
    day_one = health.get(token, "steps", "reconcile", pageSize=10000,
                         filter='steps.interval.civil_start_time >= "2026-09-01" AND steps.interval.civil_start_time '
                                '< "2026-09-02"').json()["dataPoints"]
    assert int(body["rollupDataPoints"][0]["steps"]["countSum"]) == sum(int(p["steps"].get("count", 0)) for p in day_one)
    health.configure(daily_rollup_end_inclusive=True)
    body = health.post(token, "steps", "dailyRollUp", _days((2026, 9, 1), (2026, 9, 4))).json()
    assert [w["civilStartTime"]["date"]["day"] for w in body["rollupDataPoints"]] == [1, 2, 3, 4]
    same_day = health.post(token, "steps", "dailyRollUp", _days((2026, 9, 1), (2026, 9, 1))).json()
    assert len(same_day["rollupDataPoints"]) == 1


DAILY_ERRORS = [
    ("total-calories", _days((2026, 9, 1), (2026, 9, 16)), "INVALID_ROLLUP_QUERY_DURATION"),
    ("steps", _days((2026, 9, 1), (2026, 9, 1)), "INVALID_TIME_RANGE"),
    ("steps", _days((2026, 9, 1), (2026, 9, 8), pageSize=3), "INVALID_DATA_POINT_NAME"),
    ("steps", _days((2026, 2, 30), (2026, 3, 2)), "INVALID_CIVIL_DATE_TIME"),
]


@pytest.mark.parametrize(("data_type", "body", "expected"), DAILY_ERRORS,
                         ids=["cap", "empty-exclusive-range", "page-size-floor", "bad-date"])
def test_daily_roll_up_errors(health: Health, data_type: str, body: dict, expected: str) -> None:
    response = health.post(health.token(), data_type, "dailyRollUp", body)
    assert response.status_code == 400 and reason(response) == expected


def test_leading_zero_numbers_are_not_json(health: Health) -> None:
    text = '{"range": {"start": {"date": {"year": 2026, "month": 09, "day": 01}}, "end": {"date": {"year": 2026, "month": 9, "day": 3}}}}'
    response = requests.post(health.url("steps", "dailyRollUp"), data=text,
                             headers={"Authorization": f"Bearer {health.token()}", "Content-Type": "application/json"},
                             timeout=10)
    assert response.status_code == 400 and "Invalid JSON payload" in response.json()["error"]["message"]
