"""Oura mappers against provider-shaped fixtures: exact Personicle records out, and the rules behind them.

Fixtures (tests/providers/oura/fixtures/) are the example responses of the reference
(docs/providers/oura.md 5.1-5.4) plus edge cases: offset changes, naps, missing optional fields,
null values, skipped period types and empty pages. Each `<name>.expected.json` holds the records in
the contract's wire form (parameters shown as an object).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from shared.contract.dictionary import load_dictionary
from shared.contract.records import DatastreamPacket, Event, Record, record_id
from shared.providers.oura import map_daily as oura_daily
from shared.providers.oura import map_values as oura_values
from shared.providers.oura.map_daily import DAILY_SPECS, day_anchor, day_over_anchor, map_daily
from shared.providers.oura.map_heartrate import map_heartrate
from shared.providers.oura.map_sleep import map_sleep_periods, sleep_end, stage_runs
from shared.providers.oura.map_values import documents
from shared.providers.oura.map_workouts import ACTIVITY_KINDS, SESSION_KINDS, map_sessions, map_workouts
from tests.providers.fixtures_support import fixture_loader, wire_records

_load = fixture_loader("oura")
PERSON, SOURCE = "person-1", "oura"
UTC = timezone.utc
EXAMPLE_DAY = (datetime(2025, 3, 14, tzinfo=UTC), datetime(2025, 3, 15, tzinfo=UTC))
EDGE_DAY = (datetime(2024, 1, 12, tzinfo=UTC), datetime(2024, 1, 13, tzinfo=UTC))
SPEC = {spec.collection: spec for spec in DAILY_SPECS}
STREAM = "com.personicle.individual.datastreams."
EVENT = "com.personicle.individual.events."


def _heartrate(window: tuple[datetime, datetime]) -> Callable[[Any], list[Record]]:
    return lambda body: list(map_heartrate(documents(body), PERSON, SOURCE, *window))


def _daily(collection: str) -> Callable[[Any], list[Record]]:
    return lambda body: list(map_daily(SPEC[collection], documents(body), PERSON, SOURCE))


def _sleep(body: Any) -> list[Record]:
    return map_sleep_periods(documents(body), PERSON, SOURCE)


def _workouts(body: Any) -> list[Record]:
    return list(map_workouts(documents(body), PERSON, SOURCE))


def _sessions(body: Any) -> list[Record]:
    return map_sessions(documents(body), PERSON, SOURCE)


MAPPERS: dict[str, Callable[[Any], list[Record]]] = {
    "heartrate_example": _heartrate(EXAMPLE_DAY),
    "heartrate_edge_cases": _heartrate(EDGE_DAY),
    "sleep_example": _sleep,
    "sleep_edge_cases": _sleep,
    "daily_activity_example": _daily("daily_activity"),
    "daily_activity_cases": _daily("daily_activity"),
    "daily_sleep_cases": _daily("daily_sleep"),
    "daily_readiness_cases": _daily("daily_readiness"),
    "daily_spo2_cases": _daily("daily_spo2"),
    "daily_stress_cases": _daily("daily_stress"),
    "daily_resilience_cases": _daily("daily_resilience"),
    "cardiovascular_age_cases": _daily("daily_cardiovascular_age"),
    "vo2_max_cases": _daily("vO2_max"),
    "workout_example": _workouts,
    "workout_edge_cases": _workouts,
    "session_cases": _sessions,
}
EVERY_MAPPER = {"heartrate": _heartrate(EXAMPLE_DAY), "sleep": _sleep, "workout": _workouts, "session": _sessions,
                **{collection: _daily(collection) for collection in SPEC}}


def _by_type(records: list[Record], name: str) -> list[Record]:
    return [r for r in records if (r.event_type if isinstance(r, Event) else r.stream_name) == name]


@pytest.mark.parametrize("name", sorted(MAPPERS))
def test_fixture_maps_to_expected_records(name: str) -> None:
    records = MAPPERS[name](_load(name))

    assert wire_records(records) == _load(f"{name}.expected")


@pytest.mark.parametrize("empty", ["empty_page", "empty_object"])
@pytest.mark.parametrize("mapper", sorted(EVERY_MAPPER))
def test_empty_pages_give_no_records(mapper: str, empty: str) -> None:
    assert EVERY_MAPPER[mapper](_load(empty)) == []


@pytest.mark.parametrize("name", sorted(MAPPERS))
def test_mapping_again_gives_identical_records_and_ids(name: str) -> None:
    first, again = MAPPERS[name](_load(name)), MAPPERS[name](_load(name))

    assert [record_id(r) for r in first] == [record_id(r) for r in again]
    assert wire_records(first) == wire_records(again)
    assert len({record_id(r) for r in first}) == len(first)


def test_sleep_example_summary_stages_and_series() -> None:
    body = _load("sleep_example")
    records = _sleep(body)
    (period,) = _by_type(records, EVENT + "sleep")
    stages = [r for r in records if isinstance(r, Event) and ".stage." in r.event_type]
    (heart,) = _by_type(records, STREAM + "interval.heartrate")
    (hrv,) = _by_type(records, STREAM + "heart_rate_variability")

    assert (period.start_time, period.end_time) == (datetime(2025, 3, 14, 21, 12, 30, tzinfo=UTC),
                                                    datetime(2025, 3, 15, 5, 12, 30, tzinfo=UTC))
    assert {key: period.parameters[key] for key in ("utc_offset", "asleep_duration", "deep_sleep_duration",
                                                    "efficiency", "lowest_heart_rate", "average_hrv",
                                                    "average_breath", "temperature_deviation", "main_sleep")} == {
        "utc_offset": "+02:00", "asleep_duration": 26820, "deep_sleep_duration": 8820, "efficiency": 93,
        "lowest_heart_rate": 48, "average_hrv": 44, "average_breath": 14.375, "temperature_deviation": -0.12,
        "main_sleep": True}
    assert stages[0].start_time == period.start_time and stages[-1].end_time == period.end_time
    assert all(a.end_time == b.start_time for a, b in zip(stages, stages[1:]))
    assert sum(s.parameters["duration"] for s in stages) == 28800
    deep_slots = body["data"][0]["sleep_phase_5_min"].count("1")
    assert sum(s.parameters["duration"] for s in stages if s.event_type.endswith(".deep")) == 300 * deep_slots
    assert len(heart.points) == len(hrv.points) == 95  # 96 five-minute items, one null
    assert all(p.end_time - p.start_time == timedelta(minutes=5) for p in heart.points)
    assert heart.points[0].start_time == period.start_time and heart.points[0].value == 68.0


def test_naps_are_periods_of_their_own_and_deleted_or_rejected_periods_are_dropped() -> None:
    periods = _by_type(_sleep(_load("sleep_edge_cases")), EVENT + "sleep")

    assert [(p.parameters.get("provider_record_id"), p.parameters["sleep_type"], p.parameters["main_sleep"],
             p.parameters["day"]) for p in periods] == [
        ("nap-1", "sleep", False, "2025-03-15"), ("night-dst", "long_sleep", True, "2025-03-30"),
        (None, "late_nap", False, "2025-03-16")]


def test_an_offset_change_during_the_night_keeps_both_offsets_and_true_durations() -> None:
    records = _sleep(_load("sleep_edge_cases"))
    night = next(r for r in _by_type(records, EVENT + "sleep") if r.parameters.get("provider_record_id") == "night-dst")
    stages = [r for r in records if isinstance(r, Event) and ".stage." in r.event_type
              and night.start_time <= r.start_time < night.end_time]

    assert (night.parameters["utc_offset"], night.parameters["end_utc_offset"]) == ("+01:00", "+02:00")
    assert night.parameters["duration"] == 23400 == (night.end_time - night.start_time).total_seconds()
    assert stages[-1].end_time == night.end_time
    assert sum(s.parameters["duration"] for s in stages) == 23400 - 300  # the unknown `x` slot is a gap


def test_missing_optional_fields_are_left_out() -> None:
    records = _sleep(_load("sleep_edge_cases"))
    nap, _, late = _by_type(records, EVENT + "sleep")
    (heart,) = _by_type(records, STREAM + "interval.heartrate")
    (hrv,) = _by_type(records, STREAM + "heart_rate_variability")

    assert "efficiency" not in nap.parameters and "average_hrv" not in nap.parameters
    assert "temperature_deviation" not in nap.parameters
    assert set(late.parameters) == {"duration", "utc_offset", "main_sleep", "sleep_type", "day", "time_in_bed"}
    assert len(heart.points) == 9 + 2  # the nap's 10 items less one null; the night's 0.0 and "58" are skipped
    assert [p.value for p in hrv.points] == [40.0, 42.5, 45.0]


def test_heartrate_keeps_rows_of_the_half_open_window_in_time_order() -> None:
    (packet,) = _heartrate(EDGE_DAY)(_load("heartrate_edge_cases"))

    assert [(p.timestamp.strftime("%H:%M:%S"), p.value) for p in packet.points] == [
        ("00:00:00", 57), ("06:00:00", 77), ("06:04:46", 78), ("08:00:00", 64), ("17:30:05", 121)]


def test_daily_values_are_stamped_at_noon_utc_and_activity_totals_cover_the_activity_day() -> None:
    records = _daily("daily_activity")(_load("daily_activity_example"))
    (score,) = _by_type(records, STREAM + "activity_score")
    (steps,) = _by_type(records, STREAM + "interval.step.count")
    (met_minutes,) = _by_type(records, STREAM + "interval.met_minutes")

    assert score.points[0].timestamp == datetime(2025, 3, 14, 12, tzinfo=UTC)
    assert (steps.points[0].start_time, steps.points[0].end_time, steps.points[0].value) == (
        datetime(2025, 3, 14, 2, tzinfo=UTC), datetime(2025, 3, 15, 2, tzinfo=UTC), 10874)
    assert met_minutes.points[0].value == 312 + 328 + 216


@pytest.mark.parametrize(("collection", "document", "expected"), [
    ("daily_sleep", {"day": "2025-03-14"}, datetime(2025, 3, 14, 12, tzinfo=UTC)),
    ("daily_activity", {"day": "2025-03-14", "timestamp": "2025-03-14T04:00:00-07:00"},
     datetime(2025, 3, 15, 12, tzinfo=UTC)),  # 25 hours: the longest a local day lasts
    ("daily_activity", {"day": "2025-03-14"}, datetime(2025, 3, 15, 12, tzinfo=UTC)),
    ("daily_stress", {"day": "2025-03-14"}, datetime(2025, 3, 15, 12, tzinfo=UTC)),
    ("daily_spo2", {"day": "14 March"}, None),
], ids=["score-day", "activity-day-over", "activity-without-timestamp", "stress-day-over", "unreadable-day"])
def test_documents_count_once_they_are_final(collection: str, document: dict[str, Any],
                                             expected: datetime | None) -> None:
    assert SPEC[collection].anchor(document) == expected


def _activity_day(day: str, offset: str, steps: int) -> dict[str, Any]:
    return {"id": day, "day": day, "timestamp": f"{day}T04:00:00{offset}", "steps": steps,
            "equivalent_walking_distance": 17850, "active_calories": 800}


@pytest.mark.parametrize(("days", "hours"), [
    ((("2026-03-07", "-08:00"), ("2026-03-08", "-07:00")), 23),  # US clocks go forward on 8 March 2026
    ((("2026-10-24", "+01:00"), ("2026-10-25", "+00:00")), 25),  # UK clocks go back on 25 October 2026
    ((("2026-06-01", "+02:00"), ("2026-06-02", "+02:00")), 24),
], ids=["spring-forward-23h", "fall-back-25h", "ordinary-24h"])
def test_an_activity_day_ends_at_the_next_local_day_start(days, hours) -> None:
    (first, first_offset), (second, second_offset) = days
    today, tomorrow = _activity_day(first, first_offset, 15185), _activity_day(second, second_offset, 99)
    [steps] = _by_type(map_daily(SPEC["daily_activity"], [today], "p", "oura", neighbours=[today, tomorrow]),
                       STREAM + "interval.step.count")
    point = steps.points[0]
    assert point.end_time - point.start_time == timedelta(hours=hours)
    assert point.value == 15185


def test_equivalent_walking_distance_is_not_sent_as_distance() -> None:
    records = map_daily(SPEC["daily_activity"], [_activity_day("2026-06-01", "+02:00", 15185)], "p", "oura")
    assert not [r for r in records if "distance" in r.stream_name]
    assert {r.stream_name for r in records} >= {STREAM + "interval.step.count"}


def test_anchor_rules_are_the_two_named_ones() -> None:
    assert {spec.collection for spec in DAILY_SPECS if spec.anchor is day_over_anchor} == {
        "daily_activity", "daily_stress"}
    assert all(spec.anchor in (day_anchor, day_over_anchor) for spec in DAILY_SPECS)


def test_periods_and_workouts_are_kept_by_their_own_instants() -> None:
    body = _load("sleep_example")
    assert sleep_end(documents(body)[0]) == datetime(2025, 3, 15, 5, 12, 30, tzinfo=UTC)
    assert stage_runs("11x22", datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, 0, 20, tzinfo=UTC)) == [
        (datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, 0, 10, tzinfo=UTC), "1"),
        (datetime(2025, 1, 1, 0, 15, tzinfo=UTC), datetime(2025, 1, 1, 0, 20, tzinfo=UTC), "2")]


def test_workout_activities_map_to_types_and_unknown_ones_keep_their_name() -> None:
    events = _workouts(_load("workout_edge_cases"))

    assert [(e.event_type.removeprefix(EVENT), e.event_name, e.parameters.get("activity")) for e in events] == [
        ("exercise", "Stand up paddling", "stand_up_paddling"),
        ("exercise.strength_training", "Strength training", "strengthTraining"),
        ("exercise", "Exercise", None)]
    assert (events[1].parameters["utc_offset"], events[1].parameters["end_utc_offset"]) == ("+01:00", "+02:00")
    assert events[1].parameters["duration"] == 100 * 60  # 2 h 40 of wall clock across the switch to summer time


def test_every_type_and_stream_the_mappers_emit_is_in_the_dictionary_with_its_unit() -> None:
    dictionary = load_dictionary()
    kinds = {*ACTIVITY_KINDS.values(), *SESSION_KINDS.values()}
    series = [value for module in (oura_values, oura_daily) for value in vars(module).values()
              if isinstance(value, oura_values.Series)]

    assert all(dictionary.event_type(kind).event_name == name for kind, name in kinds if kind.count(".") > 4)
    assert all(kind in dictionary.event_types for kind, _ in kinds)
    for found in series:
        entry = dictionary.stream(found.name)
        assert (entry.unit, entry.value_type == "Integer") == (found.unit, found.integer), found.name


def test_packets_hold_one_series_each_sorted_in_time() -> None:
    records = _sessions(_load("session_cases"))
    packets = [r for r in records if isinstance(r, DatastreamPacket)]

    assert [p.stream_name.removeprefix(STREAM) for p in packets] == ["heartrate", "heart_rate_variability"]
    assert [p.value for p in packets[0].points] == [62, 61, 60, 59, 58]
    assert all(a.timestamp < b.timestamp for p in packets for a, b in zip(p.points, p.points[1:]))
