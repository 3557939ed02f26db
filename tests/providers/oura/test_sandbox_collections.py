"""Sandbox Oura data collections over real HTTP: shapes, history, determinism, paging, date rules.

Tokens come from the sandbox's Oura OAuth flow (consent page, code exchange), as the app gets them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from tests.providers.oura.sandbox_view import Oura, oura  # noqa: F401

DOCUMENTS = ("sleep", "daily_sleep", "daily_readiness", "daily_activity", "workout", "session", "daily_spo2",
             "daily_stress", "daily_resilience", "daily_cardiovascular_age", "vO2_max")
REQUIRED = {  # required fields per docs/providers/oura.md 4 (cardiovascular age: `id` is drift)
    "sleep": {"id", "day", "bedtime_start", "bedtime_end", "time_in_bed", "period", "low_battery_alert", "type"},
    "daily_sleep": {"id", "day", "timestamp", "contributors"},
    "daily_readiness": {"id", "day", "timestamp", "contributors"},
    "daily_activity": {"id", "day", "timestamp", "active_calories", "total_calories", "steps", "met", "contributors",
                       "equivalent_walking_distance", "high_activity_time", "non_wear_time", "class_5_min"},
    "workout": {"id", "activity", "day", "start_datetime", "end_datetime", "intensity", "source"},
    "session": {"id", "day", "start_datetime", "end_datetime", "type"},
    "daily_spo2": {"id", "day"},
    "daily_stress": {"id", "day"},
    "daily_resilience": {"id", "day", "level", "contributors"},
    "daily_cardiovascular_age": {"day"},
    "vO2_max": {"id", "day", "timestamp", "vo2_max"},
}


def _all_pages(oura: Oura, token: str, collection: str, **params: Any) -> tuple[list[dict[str, Any]], int]:
    data, pages, next_token = [], 0, None
    while True:
        body = oura.get(token, collection, **params, **({"next_token": next_token} if next_token else {})).json()
        data += body["data"]
        pages += 1
        next_token = body["next_token"]
        if next_token is None:
            return data, pages


@pytest.mark.parametrize("collection", DOCUMENTS)
def test_collections_answer_the_documented_envelope_and_fields(oura: Oura, collection: str) -> None:
    answer = oura.get(oura.token(), collection, start_date="2026-09-01", end_date="2026-09-30")
    body = answer.json()

    assert answer.status_code == 200 and set(body) == {"data", "next_token"} and body["next_token"] is None
    assert body["data"] and all(REQUIRED[collection] <= set(document) for document in body["data"])


def test_heartrate_rows_are_utc_in_time_order_with_documented_sources(oura: Oura) -> None:
    body = oura.get(oura.token(), "heartrate", start_datetime="2026-09-29T00:00:00Z",
                    end_datetime="2026-09-30T00:00:00Z").json()
    stamps = [row["timestamp"] for row in body["data"]]

    assert set(body["data"][0]) == {"bpm", "source", "timestamp"} and body["next_token"] is None
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps) and all(s.endswith("+00:00") for s in stamps)
    assert {row["source"] for row in body["data"]} <= {"awake", "rest", "sleep", "workout"}
    assert 250 < len(stamps) < 1500 and all(30 < row["bpm"] < 220 for row in body["data"])


def test_reads_are_deterministic_and_users_differ(oura: Oura) -> None:
    params = {"start_date": "2026-06-01", "end_date": "2026-06-10"}
    first = oura.get(oura.token("bob"), "sleep", **params).content
    again = oura.get(oura.token("bob"), "sleep", **params).content
    other = oura.get(oura.token("carol"), "sleep", **params).content

    assert first == again != other


def test_history_covers_more_than_400_days_and_ends_now(oura: Oura) -> None:
    token = oura.token()
    scores = oura.get(token, "daily_sleep", start_date="2024-01-01", end_date="2026-12-31").json()["data"]
    days = [date.fromisoformat(document["day"]) for document in scores]
    rows = oura.get(token, "heartrate", start_datetime="2026-09-30T12:00:00Z",
                    end_datetime="2026-10-05T00:00:00Z").json()["data"]

    assert len(days) >= 400 and days == sorted(days)
    assert days[-1] in (date(2026, 9, 30), date(2026, 10, 1)) and days[0] >= date(2025, 8, 1)
    assert rows and rows[-1]["timestamp"] <= "2026-10-01T00:00:00+00:00"


def test_naps_late_naps_and_offset_changes_appear(oura: Oura) -> None:
    periods = oura.get(oura.token(), "sleep", start_date="2025-10-01", end_date="2026-10-01").json()["data"]
    kinds = {p["type"] for p in periods}
    offsets = {p["bedtime_start"][-6:] for p in periods}

    assert kinds == {"long_sleep", "sleep", "late_nap"}
    assert {"+01:00", "+02:00", "-04:00"} <= offsets  # Amsterdam winter and summer, a New York trip
    assert any(p["bedtime_start"][-6:] != p["bedtime_end"][-6:] for p in periods)  # a night across a change
    assert all(len(p["sleep_phase_5_min"]) == -(-p["time_in_bed"] // 300) for p in periods)
    assert all(p["total_sleep_duration"] == p["deep_sleep_duration"] + p["light_sleep_duration"]
               + p["rem_sleep_duration"] for p in periods)


def test_paging_walks_the_whole_result_and_tokens_are_bound_to_their_range(oura: Oura) -> None:
    token = oura.token()
    params = {"start_date": "2026-08-01", "end_date": "2026-09-01"}
    whole = oura.get(token, "daily_readiness", **params).json()["data"]
    oura.configure(page_size=7)
    walked, pages = _all_pages(oura, token, "daily_readiness", **params)
    first = oura.get(token, "daily_readiness", **params).json()
    moved = oura.get(token, "daily_readiness", start_date="2026-08-02", end_date="2026-09-01",
                     next_token=first["next_token"])

    assert walked == whole and pages == 5 and len(whole) == 32
    assert moved.status_code == 400 and "detail" in moved.json()


def test_heartrate_pages_join_to_the_single_page_answer(oura: Oura) -> None:
    token = oura.token("carol")
    params = {"start_datetime": "2026-09-20T00:00:00Z", "end_datetime": "2026-09-22T00:00:00Z"}
    whole = oura.get(token, "heartrate", **params).json()["data"]
    oura.configure(heartrate_page_size=250)
    walked, pages = _all_pages(oura, token, "heartrate", **params)

    assert walked == whole and pages == -(-len(whole) // 250)


@pytest.mark.parametrize(("collection", "exclusive_everywhere", "expected"), [
    ("daily_sleep", False, ["2026-09-10"]),
    ("daily_readiness", False, ["2026-09-10"]),
    ("daily_spo2", False, ["2026-09-10"]),
    ("daily_activity", False, []),
    ("sleep", False, []),
    ("daily_sleep", True, []),
], ids=["daily-sleep-inclusive", "readiness-inclusive", "spo2-inclusive", "activity-exclusive", "sleep-exclusive",
        "sandbox-exclusive-everywhere"])
def test_end_date_rules_per_collection(oura: Oura, collection: str, exclusive_everywhere: bool,
                                       expected: list[str]) -> None:
    oura.configure(end_exclusive_everywhere=exclusive_everywhere)
    body = oura.get(oura.token(), collection, start_date="2026-09-10", end_date="2026-09-10").json()

    assert [document["day"] for document in body["data"]] == expected


def test_workouts_are_filtered_on_their_utc_start_date(oura: Oura) -> None:
    workouts = oura.get(oura.token("bob"), "workout", start_date="2026-03-01", end_date="2026-03-15").json()["data"]
    starts = {datetime.fromisoformat(w["start_datetime"]).astimezone(timezone.utc).date() for w in workouts}

    assert workouts and min(starts) >= date(2026, 3, 1) and max(starts) < date(2026, 3, 15)
    assert any(w["start_datetime"].endswith("+09:00") for w in workouts)  # Bob's yearly trip to Tokyo


@pytest.mark.parametrize(("params", "status", "data"), [
    ({"start_date": "2026-09-10", "end_date": "2026-09-01"}, 422, None),
    ({"start_date": "1", "end_date": "2"}, 200, []),
    ({"start_date": "2026-09-01T00:00:00+02:00", "end_date": "2026-09-01"}, 200, ["2026-09-01"]),
], ids=["start-after-end", "unreadable-dates", "date-time-values"])
def test_date_parameter_validation(oura: Oura, params: dict[str, str], status: int, data: list[str] | None) -> None:
    answer = oura.get(oura.token(), "daily_sleep", **params)

    assert answer.status_code == status
    if data is None:
        assert answer.json()["detail"][0]["loc"] == ["query", "start_date"]
    else:
        assert [document["day"] for document in answer.json()["data"]] == data


def test_heartrate_ignores_date_parameters_and_limits_long_ranges_by_knob(oura: Oura) -> None:
    token = oura.token()
    by_date = oura.get(token, "heartrate", start_date="2026-09-01", end_date="2026-09-02").json()
    oura.configure(max_range_days=30)
    too_long = oura.get(token, "heartrate", start_datetime="2026-08-01T00:00:00Z", end_datetime="2026-09-01T00:00:00Z")
    short = oura.get(token, "heartrate", start_datetime="2026-08-01T00:00:00Z", end_datetime="2026-08-31T00:00:00Z")

    assert by_date == {"data": [], "next_token": None}
    assert too_long.status_code == 400 and "at most 30 days" in too_long.json()["detail"]
    assert short.status_code == 200


def test_data_before_now_only_and_a_day_in_progress_is_partial(oura: Oura) -> None:
    token = oura.token()
    oura.configure(now="2026-09-30T10:00:00+00:00")
    partial = oura.get(token, "daily_activity", start_date="2026-09-30", end_date="2026-10-01").json()["data"]
    oura.configure(now="2026-10-01T12:00:00+00:00")
    whole = oura.get(token, "daily_activity", start_date="2026-09-30", end_date="2026-10-01").json()["data"]

    assert len(partial[0]["class_5_min"]) < 288 == len(whole[0]["class_5_min"])
    assert len(whole[0]["met"]["items"]) == 1440 and partial[0]["steps"] <= whole[0]["steps"]
    assert partial[0]["met"]["items"] == whole[0]["met"]["items"][: len(partial[0]["met"]["items"])]
    assert sum(whole[0][f"{level}_time"] for level in ("high_activity", "medium_activity", "low_activity",
                                                        "sedentary", "resting", "non_wear")) == 86400
    assert timedelta(seconds=sum(partial[0][f"{level}_time"] for level in (
        "high_activity", "medium_activity", "low_activity", "sedentary", "resting", "non_wear"))) < timedelta(days=1)
