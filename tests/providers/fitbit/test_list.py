"""Sandbox Google Health list and reconcile over real HTTP: paging, order, filters, checks."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import requests

from tests.providers.fitbit.conftest import SCOPE, Health, reason

DAY = ('{t}.interval.start_time >= "2026-09-30T00:00:00Z" AND {t}.interval.start_time < "2026-10-01T00:00:00Z"')


def _steps_filter(start: str, end: str) -> str:
    return f'steps.interval.start_time >= "{start}" AND steps.interval.start_time < "{end}"'


def _starts(body: dict, key: str = "steps") -> list[str]:
    return [point[key]["interval"]["startTime"] for point in body.get("dataPoints", [])]


def test_list_pages_newest_first_and_tokens_walk_the_whole_window(health: Health) -> None:
    token = health.token()
    window = _steps_filter("2026-09-30T10:00:00Z", "2026-09-30T12:00:00Z")
    whole = health.get(token, "steps", filter=window, pageSize=10000).json()
    pages, page_token = [], None
    while True:
        params = {"filter": window, "pageSize": 50, **({"pageToken": page_token} if page_token else {})}
        body = health.get(token, "steps", **params).json()
        pages.append(body.get("dataPoints", []))
        page_token = body.get("nextPageToken")
        if not page_token:
            break
    assert all(len(page) == 50 for page in pages[:-1]) and len(pages) > 2
    walked = [point for page in pages for point in page]
    assert walked == whole["dataPoints"]
    starts = _starts(whole)
    assert starts == sorted(starts, reverse=True) and starts[0] < "2026-09-30T12:00:00Z"
    assert whole["nextPageToken"] == ""


def test_list_returns_every_source_and_reconcile_one_stream_without_data_source(health: Health) -> None:
    token = health.token()
    window = _steps_filter("2026-09-30T06:00:00Z", "2026-09-30T18:00:00Z")
    listed = health.get(token, "steps", filter=window, pageSize=10000).json()["dataPoints"]
    merged = health.get(token, "steps", "reconcile", filter=window, pageSize=10000).json()["dataPoints"]
    platforms = {point["dataSource"]["platform"] for point in listed}
    assert platforms == {"FITBIT", "HEALTH_CONNECT"}
    assert len(set(_starts({"dataPoints": merged}))) == len(merged) < len(listed)
    assert all(set(point) == {"steps"} for point in merged)


def test_identifiable_types_carry_name_in_list_and_data_point_name_in_reconcile(health: Health) -> None:
    token = health.token("bob")
    listed = health.get(token, "weight", pageSize=3).json()["dataPoints"]
    merged = health.get(token, "weight", "reconcile", pageSize=3).json()["dataPoints"]
    assert listed[0]["name"] == merged[0]["dataPointName"]
    assert listed[0]["name"].startswith("users/2515055256096816352/dataTypes/weight/dataPoints/")
    assert listed[0]["dataSource"] == {"recordingMethod": "MANUAL", "platform": "FITBIT"}
    assert "dataSource" not in merged[0]


@pytest.mark.parametrize(("requested", "data_type", "expected"), [
    (None, "steps", 1440), (20000, "steps", 10000), (0, "steps", 1440), (None, "sleep", 25), (100, "exercise", 25),
], ids=["default", "truncated", "zero-is-default", "sleep-default", "exercise-max"])
def test_page_sizes(health: Health, requested: int | None, data_type: str, expected: int) -> None:
    params = {"pageSize": requested} if requested is not None else {}
    body = health.get(health.token(), data_type, **params).json()
    assert len(body["dataPoints"]) == expected and body["nextPageToken"]


def test_snake_case_parameters_are_accepted(health: Health) -> None:
    body = health.get(health.token(), "steps", page_size=7).json()
    assert len(body["dataPoints"]) == 7


def test_daily_and_sample_filters(health: Health) -> None:
    token = health.token()
    daily = health.get(token, "daily-resting-heart-rate", "reconcile",
                       filter='daily_resting_heart_rate.date >= "2026-09-01" AND daily_resting_heart_rate.date < '
                              '"2026-09-08"').json()["dataPoints"]
    assert [p["dailyRestingHeartRate"]["date"]["day"] for p in daily] == [7, 6, 5, 4, 3, 2, 1]
    samples = health.get(token, "heart-rate", filter='heart_rate.sample_time.physical_time >= '
                         '"2026-09-30T05:10:00Z" AND heart_rate.sample_time.physical_time < "2026-09-30T05:10:10Z"')
    times = [p["heartRate"]["sampleTime"]["physicalTime"] for p in samples.json()["dataPoints"]]
    assert times == [f"2026-09-30T05:10:0{s}Z" for s in range(9, -1, -1)]  # alice's watch logs every second


def test_civil_filter_uses_local_time(health: Health) -> None:
    token = health.token()
    body = health.get(token, "exercise", filter='exercise.interval.civil_start_time >= "2026-09-20" AND '
                      'exercise.interval.civil_start_time < "2026-09-30"').json()
    assert len(body["dataPoints"]) >= 5
    for point in body["dataPoints"]:
        interval = point["exercise"]["interval"]
        start = datetime.fromisoformat(interval["startTime"])
        local = (start + timedelta(seconds=int(interval["startUtcOffset"][:-1]))).replace(tzinfo=None)
        assert datetime(2026, 9, 20) <= local < datetime(2026, 9, 30)
        assert "civilStartTime" not in interval  # live sessions come without civil fields


def test_sleep_is_filtered_on_its_end_with_or(health: Health) -> None:
    token = health.token()
    expression = ('sleep.interval.end_time >= "2026-09-10T00:00:00Z" AND sleep.interval.end_time < '
                  '"2026-09-11T00:00:00Z" OR sleep.interval.end_time >= "2026-09-20T00:00:00Z" AND '
                  'sleep.interval.end_time < "2026-09-21T00:00:00Z"')
    # AIP-160 binds OR tighter than AND: a >= x AND (b < y OR c >= z) AND d < w.
    body = health.get(token, "sleep", filter=expression).json()
    ends = [p["sleep"]["interval"]["endTime"] for p in body["dataPoints"]]
    assert ends and all("2026-09-10" <= end < "2026-09-21" for end in ends)


FILTER_ERRORS = [
    ("steps", 'steps-x.interval.start_time >= "2026-09-01T00:00:00Z"', "INVALID_DATA_POINT_FILTER_DATA_TYPE_RESTRICTION"),
    ("steps", 'distance.interval.start_time >= "2026-09-01T00:00:00Z"', "INVALID_DATA_POINT_FILTER_COLLECTION_MISMATCH"),
    ("steps", 'steps.interval.end_time >= "2026-09-01T00:00:00Z"', "INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER"),
    ("steps", 'steps.interval.start_time > "2026-09-01T00:00:00Z"', "INVALID_DATA_POINT_FILTER_RESTRICTION_COMPARATOR"),
    ("steps", 'steps.interval.start_time >= "2026-09-01T00:00:00Z" AND steps.interval.civil_start_time < '
              '"2026-09-02"', "INVALID_DATA_POINT_FILTER_MIXED_TIME_RESTRICTIONS"),
    ("steps", 'steps.interval.start_time >= "2026-09-01T00:00:00Z" OR steps.interval.start_time < '
              '"2026-09-02T00:00:00Z"', "INVALID_DATA_POINT_FILTER_EXPRESSION_STRUCTURE"),
    ("steps", 'steps.interval.start_time >= "2026-09-01"', "INVALID_DATA_POINT_FILTER_TIMESTAMP_FORMAT"),
    ("daily-resting-heart-rate", 'daily_resting_heart_rate.date >= "2026-09-01T00:00:00"',
     "INVALID_DATA_POINT_FILTER_CIVIL_DATE_TIME_FORMAT"),
    ("steps", 'steps.interval.start_time >= "2026-09-02T00:00:00Z" AND steps.interval.start_time < '
              '"2026-09-01T00:00:00Z"', "INVALID_TIME_RANGE"),
    ("exercise", 'exercise.interval.start_time >= "2026-09-01T00:00:00Z"', "INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER"),
    ("sleep", 'sleep.interval.start_time >= "2026-09-01T00:00:00Z"', "INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER"),
    ("steps", 'steps.interval.start_time >= ', "INVALID_DATA_POINT_FILTER_UNEXPECTED_END_OF_INPUT"),
    ("steps", 'steps.interval.start_time >= 2026', "INVALID_DATA_POINT_FILTER_SYNTAX"),
]


@pytest.mark.parametrize(("data_type", "expression", "expected"), FILTER_ERRORS,
                         ids=["kebab-prefix", "other-type", "member", "operator", "mixed", "or", "timestamp",
                              "date-with-time", "inverted", "exercise-physical", "sleep-start", "truncated",
                              "unquoted"])
def test_filter_errors(health: Health, data_type: str, expression: str, expected: str) -> None:
    response = health.get(health.token(), data_type, filter=expression)
    assert response.status_code == 400 and reason(response) == expected


def test_sleep_filter_refusal_knob(health: Health) -> None:
    health.configure(sleep_rejects_filters=True)
    response = health.get(health.token(), "sleep", "reconcile", filter='sleep.interval.end_time >= '
                          '"2026-09-01T00:00:00Z"')
    assert response.status_code == 400 and reason(response) == "INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER"
    assert health.get(health.token(), "sleep", pageSize=2).status_code == 200


def test_page_tokens_are_bound_to_the_other_parameters(health: Health) -> None:
    token = health.token()
    first = health.get(token, "steps", pageSize=5).json()
    again = health.get(token, "steps", pageSize=5, pageToken=first["nextPageToken"])
    assert again.status_code == 200
    for params in ({"pageSize": 6}, {"pageSize": 5, "filter": DAY.format(t="steps")}):
        changed = health.get(token, "steps", pageToken=first["nextPageToken"], **params)
        assert changed.status_code == 400 and reason(changed) == "INVALID_PAGE_TOKEN"
    forged = health.get(token, "steps", pageSize=5, pageToken="bm90LWEtdG9rZW4")
    assert reason(forged) == "INVALID_PAGE_TOKEN"


REQUEST_ERRORS = [
    ("numeric-parent", "users/2515055256096816351", "steps", "", 400, None),
    ("unknown-type", "users/me", "stepz", "", 400, "INVALID_DATA_TYPE"),
    ("list-refused", "users/me", "total-calories", "", 400, "UNSUPPORTED_DATA_TYPE_ACTION"),
    ("floors-list-refused", "users/me", "floors", "", 400, "UNSUPPORTED_DATA_TYPE_ACTION"),
]


@pytest.mark.parametrize(("name", "parent", "data_type", "method", "status", "expected"), REQUEST_ERRORS,
                         ids=[row[0] for row in REQUEST_ERRORS])
def test_request_errors(health: Health, name: str, parent: str, data_type: str, method: str, status: int,
                        expected: str | None) -> None:
    url = f"{health.base}/v4/{parent}/dataTypes/{data_type}/dataPoints"
    response = requests.get(url, headers={"Authorization": f"Bearer {health.token()}"}, timeout=10)
    assert response.status_code == status and reason(response) == expected


def test_auth_scope_and_account_checks_come_first(health: Health) -> None:
    missing = health.get(None, "stepz")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    sleep_only = health.token(scopes=(SCOPE + "sleep.readonly",))
    refused = health.get(sleep_only, "steps")
    assert refused.status_code == 403 and reason(refused) == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    assert health.get(sleep_only, "sleep", pageSize=1).status_code == 200
    legacy = health.get(health.token(scopes=(SCOPE + "activity_and_fitness",)), "steps", pageSize=1)
    assert legacy.status_code == 200
    unlinked = health.get(health.token("dave"), "steps")
    assert unlinked.status_code == 400 and reason(unlinked) == "ACCOUNT_NOT_LINKED"


def test_wrong_verb_gets_the_html_404(health: Health) -> None:
    response = requests.post(health.url("steps"), headers={"Authorization": f"Bearer {health.token()}"}, timeout=10)
    assert response.status_code == 404 and response.headers["Content-Type"].startswith("text/html")


def test_get_returns_a_listed_point_and_404_for_unknown_ids(health: Health) -> None:
    token = health.token("bob")
    listed = health.get(token, "exercise", pageSize=1).json()["dataPoints"][0]
    headers = {"Authorization": f"Bearer {token}"}
    by_name = requests.get(f"{health.base}/v4/{listed['name']}", headers=headers, timeout=10)
    assert by_name.status_code == 200 and by_name.json() == listed
    unknown = requests.get(health.url("exercise") + "/1790000000099999999", headers=headers, timeout=10)
    assert unknown.status_code == 404 and reason(unknown) == "RESOURCE_NOT_FOUND"


def test_empty_answers_and_the_end_token_knob(health: Health) -> None:
    token = health.token()
    before = 'steps.interval.start_time >= "2020-01-01T00:00:00Z" AND steps.interval.start_time < "2020-01-02T00:00:00Z"'
    assert health.get(token, "steps", filter=before).json() == {"nextPageToken": ""}
    health.configure(end_token_omitted=True)
    assert health.get(token, "steps", filter=before).json() == {}
    assert health.get(token, "floors", "reconcile").json() == {}


def test_history_covers_more_than_four_hundred_days(health: Health) -> None:
    token = health.token("carol")
    old = health.get(token, "daily-resting-heart-rate", "reconcile",
                     filter='daily_resting_heart_rate.date >= "2025-08-20" AND daily_resting_heart_rate.date < '
                            '"2025-08-27"').json()["dataPoints"]
    assert len(old) == 7


def test_reads_are_deterministic(health: Health, sandbox_server) -> None:
    window = _steps_filter("2026-07-01T00:00:00Z", "2026-07-02T00:00:00Z")
    first = health.get(health.token("bob"), "steps", "reconcile", filter=window, pageSize=10000).content
    health.state.reset()
    health.configure(now="2026-10-01T00:00:00Z")
    second = health.get(health.token("bob"), "steps", "reconcile", filter=window, pageSize=10000).content
    assert first == second and len(first) > 100_000
