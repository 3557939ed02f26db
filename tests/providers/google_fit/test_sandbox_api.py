"""The Google Fit imitation over real HTTP: documented shapes, limits and errors.

Reference: docs/providers/google_fit.md 3 (methods and shapes), 5 (errors) and 7 (the fake-server checklist).
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.providers.google_fit.sandbox_view import DAY_MS, FIT, NOW_MS, Fit, body, error_reason, fit  # noqa: F401

STEPS, HEART, WEIGHT = "com.google.step_count.delta", "com.google.heart_rate.bpm", "com.google.weight"
SLEEP_SOURCE = "derived%3Acom.google.sleep.segment%3Acom.google.android.gms%3Amerged"
HOUR_MS = 3_600_000


def test_aggregate_answers_in_the_documented_shape(fit: Fit) -> None:
    token = fit.token()
    types = [STEPS, "com.google.distance.delta", HEART, WEIGHT, "com.google.heart_minutes"]
    answer = fit.aggregate(token, body(types, NOW_MS - 3 * DAY_MS, NOW_MS))
    assert answer.status_code == 200
    buckets = answer.json()["bucket"]
    assert [(b["startTimeMillis"], b["endTimeMillis"]) for b in buckets] == [
        (str(NOW_MS - n * DAY_MS), str(NOW_MS - (n - 1) * DAY_MS)) for n in (3, 2, 1)]
    first = buckets[0]["dataset"]
    assert [d["dataSourceId"] for d in first] == [  # request order, output types for samples
        "derived:com.google.step_count.delta:com.google.android.gms:aggregated",
        "derived:com.google.distance.delta:com.google.android.gms:aggregated",
        "derived:com.google.heart_rate.summary:com.google.android.gms:aggregated",
        "derived:com.google.weight.summary:com.google.android.gms:aggregated",
        "derived:com.google.heart_minutes.summary:com.google.android.gms:aggregated"]
    steps, distance, heart = first[0]["point"][0], first[1]["point"][0], first[2]["point"][0]
    assert isinstance(steps["startTimeNanos"], str) and len(steps["startTimeNanos"]) == 19
    assert NOW_MS - 3 * DAY_MS <= int(steps["startTimeNanos"]) // 10**6 < int(steps["endTimeNanos"]) // 10**6 <= \
        NOW_MS - 2 * DAY_MS  # the point spans the data inside its bucket
    assert set(steps["value"][0]) == {"intVal", "mapVal"} and steps["value"][0]["mapVal"] == []
    assert 2000 < steps["value"][0]["intVal"] < 40000
    assert set(distance["value"][0]) == {"fpVal", "mapVal"}
    average, top, low = (v["fpVal"] for v in heart["value"])
    assert 40 <= low <= average <= top <= 200


def test_buckets_without_data_are_listed_with_empty_datasets(fit: Fit) -> None:
    answer = fit.aggregate(fit.token("dave"), body([HEART, STEPS], NOW_MS - DAY_MS, NOW_MS + DAY_MS))
    buckets = answer.json()["bucket"]
    assert len(buckets) == 2
    assert buckets[0]["dataset"][0]["point"] == []  # no watch: no heart rate at all
    assert buckets[1]["dataset"] == [  # after now: nothing yet
        {"dataSourceId": "derived:com.google.heart_rate.summary:com.google.android.gms:aggregated", "point": []},
        {"dataSourceId": "derived:com.google.step_count.delta:com.google.android.gms:aggregated", "point": []}]
    fit.configure(omit_empty_points=True)
    later = fit.aggregate(fit.token("dave"), body([HEART], NOW_MS, NOW_MS + DAY_MS)).json()["bucket"]
    assert later[0]["dataset"] == [{"dataSourceId": "derived:com.google.heart_rate.summary:com.google.android.gms:"
                                                    "aggregated"}]


def test_last_bucket_is_clipped_and_knobs_change_value_encoding(fit: Fit) -> None:
    token = fit.token()
    fit.configure(map_val=False, summary_min_first=True)
    buckets = fit.aggregate(token, body([HEART], NOW_MS - DAY_MS - 2 * HOUR_MS, NOW_MS)).json()["bucket"]
    assert [(int(b["startTimeMillis"]), int(b["endTimeMillis"])) for b in buckets] == [
        (NOW_MS - DAY_MS - 2 * HOUR_MS, NOW_MS - 2 * HOUR_MS), (NOW_MS - 2 * HOUR_MS, NOW_MS)]
    values = [v["fpVal"] for v in buckets[0]["dataset"][0]["point"][0]["value"]]
    assert values[0] <= values[1] <= values[2]  # [min, average, max]
    assert all("mapVal" not in v for v in buckets[0]["dataset"][0]["point"][0]["value"])


def test_the_same_request_reads_the_same_data_and_history_covers_400_days(fit: Fit) -> None:
    token = fit.token("carol")
    request = body([STEPS, WEIGHT], NOW_MS - 420 * DAY_MS, NOW_MS - 400 * DAY_MS)
    first, second = fit.aggregate(token, request), fit.aggregate(token, request)
    assert first.content == second.content
    assert all(b["dataset"][0]["point"] for b in first.json()["bucket"])
    other = fit.aggregate(fit.token("bob"), request)
    assert other.content != first.content
    fit.configure(history_days=400)
    older = fit.aggregate(token, body([STEPS], NOW_MS - 420 * DAY_MS, NOW_MS - 401 * DAY_MS)).json()["bucket"]
    assert all(b["dataset"][0]["point"] == [] for b in older)


REFUSALS = [
    ("no-aggregateby", {"startTimeMillis": NOW_MS - DAY_MS, "endTimeMillis": NOW_MS},
     "Require at least one aggregateby"),
    ("aggregateby-not-a-list", {"aggregateBy": {"dataTypeName": STEPS}}, "Require at least one aggregateby"),
    ("summary-type", body(["com.google.activity.summary"], NOW_MS - DAY_MS, NOW_MS),
     "no default datasource found for: com.google.activity.summary"),
    ("missing-source", {**body([], NOW_MS - DAY_MS, NOW_MS), "aggregateBy": [
        {"dataSourceId": "derived:com.google.blood_pressure:com.google.android.gms:merged"}]},
     "datasource not found: derived:com.google.blood_pressure:com.google.android.gms:merged"),
    ("over-90-days", body([STEPS], NOW_MS - 91 * DAY_MS, NOW_MS), "aggregate duration too large"),
    ("two-strategies", {**body([STEPS], NOW_MS - DAY_MS, NOW_MS), "bucketBySession": {}},
     "Only one bucketing strategy may be specified"),
    ("too-many-buckets", body([STEPS], NOW_MS - 2 * DAY_MS, NOW_MS, 1), "Cannot bucket into more than 86400 intervals"),
    ("reversed-range", body([STEPS], NOW_MS, NOW_MS - DAY_MS), "endTimeMillis must be after startTimeMillis"),
]


@pytest.mark.parametrize(("name", "request_body", "message"), REFUSALS, ids=[row[0] for row in REFUSALS])
def test_aggregate_refusals_are_400_with_the_observed_messages(fit: Fit, name: str, request_body: dict[str, Any],
                                                                message: str) -> None:
    answer = fit.aggregate(fit.token(), request_body)
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == message and error_reason(answer) == "invalidArgument"
    assert answer.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_the_aggregate_limit_is_a_knob(fit: Fit) -> None:
    token = fit.token()
    assert fit.aggregate(token, body([STEPS], NOW_MS - 90 * DAY_MS, NOW_MS)).status_code == 200
    fit.configure(aggregate_max_days=30)
    refused = fit.aggregate(token, body([STEPS], NOW_MS - 31 * DAY_MS, NOW_MS))
    assert refused.status_code == 400 and refused.json()["error"]["message"] == "aggregate duration too large"


def test_int64_fields_may_be_sent_as_strings_and_periods_follow_the_zone(fit: Fit) -> None:
    request = {"startTimeMillis": str(NOW_MS - 2 * DAY_MS), "endTimeMillis": str(NOW_MS),
               "aggregateBy": [{"dataTypeName": STEPS}],
               "bucketByTime": {"period": {"type": "day", "value": 1, "timeZoneId": "Europe/Amsterdam"}}}
    buckets = fit.aggregate(fit.token(), request).json()["bucket"]
    # Amsterdam is UTC+2 in late September: local midnights fall at 22:00 UTC.
    assert [int(b["endTimeMillis"]) for b in buckets] == [NOW_MS - DAY_MS - 2 * HOUR_MS, NOW_MS - 2 * HOUR_MS, NOW_MS]


def test_session_buckets_embed_their_session(fit: Fit) -> None:
    request = {"startTimeMillis": NOW_MS - 2 * DAY_MS, "endTimeMillis": NOW_MS,
               "aggregateBy": [{"dataTypeName": HEART}], "bucketBySession": {"minDurationMillis": 0}}
    buckets = fit.aggregate(fit.token(), request).json()["bucket"]
    assert buckets and all(b["type"] == "session" and b["session"]["startTimeMillis"] == b["startTimeMillis"]
                           for b in buckets)


def test_one_unauthorised_type_fails_the_whole_aggregate_with_403(fit: Fit) -> None:
    token = fit.token(scopes=(FIT + "activity.read",))
    assert fit.aggregate(token, body([STEPS], NOW_MS - DAY_MS, NOW_MS)).status_code == 200
    refused = fit.aggregate(token, body([STEPS, HEART], NOW_MS - DAY_MS, NOW_MS))
    assert refused.status_code == 403 and error_reason(refused) == "insufficientPermissions"


@pytest.mark.parametrize(("name", "header", "reason"), [("missing", None, "required"),
                                                        ("unknown", "Bearer ya29.nothing", "authError")],
                         ids=["missing", "unknown"])
def test_calls_without_a_live_token_are_401(fit: Fit, name: str, header: str | None, reason: str) -> None:
    headers = {"Authorization": header} if header else {}
    answer = requests.get(f"{fit.base}/sessions", headers=headers, timeout=10)
    assert answer.status_code == 401 and error_reason(answer) == reason


def test_sessions_are_selected_by_end_time_and_filtered_by_activity(fit: Fit) -> None:
    token = fit.token()
    start, end = "2026-09-20T00:00:00.000Z", "2026-09-30T00:00:00.000Z"
    answer = fit.get(token, "sessions", startTime=start, endTime=end)
    listed = answer.json()
    assert answer.status_code == 200 and listed["deletedSession"] == [] and "nextPageToken" in listed
    ends = [int(s["endTimeMillis"]) for s in listed["session"]]
    assert ends and all(NOW_MS - 11 * DAY_MS <= e <= NOW_MS - DAY_MS for e in ends)
    before = fit.get(token, "sessions", startTime="2026-09-19T00:00:00Z", endTime=start).json()["session"]
    assert not {s["id"] for s in before} & {s["id"] for s in listed["session"]}  # each session in one range only
    sleeps = fit.get(token, "sessions", startTime=start, endTime=end, activityType="72").json()["session"]
    assert sleeps and {s["activityType"] for s in sleeps} == {72} and len(sleeps) < len(listed["session"])
    assert all(set(s) >= {"id", "name", "startTimeMillis", "endTimeMillis", "modifiedTimeMillis", "application"}
               for s in listed["session"])
    fit.configure(session_page_token=False)
    assert "nextPageToken" not in fit.get(token, "sessions", startTime=start, endTime=end).json()


def test_sessions_sync_token_mode_and_its_rules(fit: Fit) -> None:
    token = fit.token("bob")
    recent = fit.get(token, "sessions").json()
    assert recent["session"] and recent["nextPageToken"] == str(NOW_MS)
    assert all(int(s["modifiedTimeMillis"]) > NOW_MS - 30 * DAY_MS for s in recent["session"])
    since = fit.get(token, "sessions", pageToken=str(NOW_MS - DAY_MS)).json()["session"]
    assert 0 < len(since) < len(recent["session"])
    mixed = fit.get(token, "sessions", startTime="2026-09-20T00:00:00Z", includeDeleted="true")
    assert mixed.status_code == 400


def test_the_session_limit_is_a_knob(fit: Fit) -> None:
    fit.configure(session_limit=5)
    answer = fit.get(fit.token(), "sessions", startTime="2026-09-01T00:00:00Z", endTime="2026-09-30T00:00:00Z")
    assert answer.status_code == 400 and answer.json()["error"]["message"] == "Session limit of 5 exceeded."


def test_datasets_get_pages_back_in_time_from_the_most_recent_points(fit: Fit) -> None:
    token = fit.token()
    span = f"{(NOW_MS - 3 * DAY_MS) * 10**6}-{NOW_MS * 10**6}"
    pages, page_token = [], None
    while True:
        params = {"limit": 20, **({"pageToken": page_token} if page_token else {})}
        answer = fit.get(token, f"dataSources/{SLEEP_SOURCE}/datasets/{span}", **params).json()
        assert (answer["minStartTimeNs"], answer["maxEndTimeNs"]) == tuple(span.split("-"))
        pages.append(answer["point"])
        page_token = answer.get("nextPageToken")
        if not page_token:
            break
    assert len(pages) > 1 and all(len(page) <= 20 for page in pages)
    for newer, older in zip(pages, pages[1:]):
        assert max(int(p["endTimeNanos"]) for p in older) < min(int(p["endTimeNanos"]) for p in newer)
    everything = fit.get(token, f"dataSources/{SLEEP_SOURCE}/datasets/{span}").json()["point"]
    assert sorted(everything, key=lambda p: p["startTimeNanos"]) == \
        sorted((p for page in pages for p in page), key=lambda p: p["startTimeNanos"])
    assert {p["value"][0]["intVal"] for p in everything} <= {1, 2, 3, 4, 5, 6}


def test_data_source_ids_may_be_encoded_or_not_and_missing_streams_are_404(fit: Fit) -> None:
    span = f"{(NOW_MS - DAY_MS) * 10**6}-{NOW_MS * 10**6}"
    plain = SLEEP_SOURCE.replace("%3A", ":")
    token = fit.token()
    assert fit.get(token, f"dataSources/{plain}/datasets/{span}").json() == \
        fit.get(token, f"dataSources/{SLEEP_SOURCE}/datasets/{span}").json()
    missing = fit.get(fit.token("dave"), f"dataSources/{SLEEP_SOURCE}/datasets/{span}")
    assert missing.status_code == 404 and error_reason(missing) == "notFound"
    assert "DataSourceId not found" in missing.json()["error"]["message"]


def test_data_sources_list_follows_scopes_and_data(fit: Fit) -> None:
    listed = fit.get(fit.token("dave", (FIT + "activity.read", FIT + "heart_rate.read")), "dataSources").json()
    types = {source["dataType"]["name"] for source in listed["dataSource"]}
    assert STEPS in types and HEART not in types and "com.google.distance.delta" not in types
    only = fit.get(fit.token(), "dataSources", dataTypeName=STEPS).json()["dataSource"]
    assert [s["dataStreamName"] for s in only] == ["estimated_steps", "merge_step_deltas"]


END_OF_SERVICE = [("gone", 410, "apiDeprecated"), ("forbidden", 403, "accessNotConfigured"),
                  ("not_found", 404, None)]


@pytest.mark.parametrize(("mode", "status", "reason"), END_OF_SERVICE, ids=[row[0] for row in END_OF_SERVICE])
def test_end_of_service_knob_answers_as_a_turned_down_google_api(fit: Fit, mode: str, status: int,
                                                                 reason: str | None) -> None:
    token = fit.token()
    fit.configure(end_of_service=mode)
    answer = fit.aggregate(token, body([STEPS], NOW_MS - DAY_MS, NOW_MS))
    assert answer.status_code == status
    if reason is None:
        assert answer.headers["Content-Type"].startswith("text/html")
    else:
        assert error_reason(answer) == reason


def test_intermittent_end_of_service_fails_every_nth_call(fit: Fit) -> None:
    token = fit.token()
    fit.configure(end_of_service="intermittent", end_of_service_every=3)
    statuses = [fit.get(token, "dataSources").status_code for _ in range(6)]
    assert statuses == [200, 200, 410, 200, 200, 410]


@pytest.mark.parametrize(("change", "message"), [({"end_of_service": "soon"}, "end_of_service"),
                                                 ({"history_days": 0}, "history_days"),
                                                 ({"nothing": 1}, "unknown knob")],
                         ids=["bad-mode", "no-history", "unknown"])
def test_config_route_refuses_bad_knobs(fit: Fit, change: dict[str, Any], message: str) -> None:
    answer = requests.post(f"{fit.server.url}/_sandbox/googlefit/config", json=change, timeout=10)
    assert answer.status_code == 400 and message in answer.json()["error"]["message"]
    shown = requests.get(f"{fit.server.url}/_sandbox/googlefit/config", timeout=10).json()["config"]
    assert shown["end_of_service"] == "" and shown["now"] == "2026-10-01T00:00:00Z"
