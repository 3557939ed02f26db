"""Withings mappers against provider-shaped fixtures: exact Personicle records out, and the rules behind them.

Fixtures (fixtures/) are example answers in Withings' shapes (docs/providers/withings.md 4: getmeas
with a blood-pressure reading and a manual weigh-in, getactivity, getworkouts, getsummary, sleep get,
getintradayactivity with the reference's example device) plus edge cases: Body Scan groups with a
repeated measure and a segmental one, ambiguous and goal groups, unknown and malformed values,
imported days, DST days, unknown zones, reversed times, intraday samples without a duration. Each
`<name>.expected.json` holds the records in the contract's wire form (parameters shown as an object).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from shared.contract.dictionary import load_dictionary
from shared.contract.records import DatastreamPacket, Event, Record
from shared.providers.withings.envelope import payload
from shared.providers.withings.map_activity import map_activity
from shared.providers.withings.map_intraday import map_intraday, samples
from shared.providers.withings.map_measures import map_measures, measure_groups
from shared.providers.withings.map_sleep import map_sleep
from shared.providers.withings.map_sleep_series import map_sleep_series
from shared.providers.withings.map_values import measure_value, objects
from shared.providers.withings.map_workouts import map_workouts
from tests.providers.fixtures_support import wire_records

FIXTURES = Path(__file__).parent / "fixtures"
PERSON, SOURCE = "person-1", "withings"
UTC = timezone.utc
STREAM = "com.personicle.individual.datastreams."


def _load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def _rows(key: str, mapper: Callable[..., list[Record]]) -> Callable[[Any], list[Record]]:
    return lambda answer: mapper(objects(payload(answer).get(key)), PERSON, SOURCE)


def _intraday(answer: Any) -> list[Record]:
    return map_intraday(samples(payload(answer).get("series")), PERSON, SOURCE)


def _measures(answer: Any) -> list[Record]:
    return map_measures(measure_groups(payload(answer)), PERSON, SOURCE)


MAPPERS: dict[str, Callable[[Any], list[Record]]] = {
    "getmeas_reference_example": _measures,
    "getmeas_edge_cases": _measures,
    "getactivity_reference_example": _rows("activities", map_activity),
    "getactivity_edge_cases": _rows("activities", map_activity),
    "getworkouts_example": _rows("series", map_workouts),
    "getsummary_reference_example": _rows("series", map_sleep),
    "getsummary_edge_cases": _rows("series", map_sleep),
    "sleep_get_example": _rows("series", map_sleep_series),
    "getintradayactivity_reference_example": _intraday,
    "getintradayactivity_edge_cases": _intraday,
}


@pytest.mark.parametrize("name", sorted(MAPPERS))
def test_fixture_maps_to_the_expected_records(name: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text())
    assert wire_records(MAPPERS[name](_load(name))) == expected


@pytest.mark.parametrize("name", sorted(MAPPERS))
def test_every_name_and_parameter_is_in_the_dictionary(name: str) -> None:
    dictionary = load_dictionary()
    records = MAPPERS[name](_load(name))
    assert records
    for record in records:
        if isinstance(record, DatastreamPacket):
            assert record.unit == dictionary.stream(record.stream_name).unit
        else:
            assert isinstance(record, Event)
            allowed = set(dictionary.event_type(record.event_type).parameters)
            parent = record.event_type.rsplit(".", 1)[0]
            if parent in dictionary.event_types:  # exercise kinds document the exercise parameters
                allowed |= set(dictionary.event_type(parent).parameters)
            assert set(record.parameters) <= allowed


def _points(records: list[Record], short: str) -> list[tuple[datetime, Any]]:
    """Return (time, value) of every point of the stream `short` (`weight`)."""
    return [(p.timestamp, p.value) for r in records
            if isinstance(r, DatastreamPacket) and r.stream_name == STREAM + short
            for p in r.points]


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (95854, -3, 95.854), (19467, -3, 19.467), (71250, -3, 71.25), (82, 0, 82.0), (452, -1, 45.2), (12, 2, 1200.0),
    (1, -20, 1e-20)])
def test_measure_value_is_value_times_ten_to_the_unit_exactly(value: int, unit: int, expected: float) -> None:
    assert measure_value(value, unit) == expected


@pytest.mark.parametrize(("value", "unit"), [("1", 0), (1, "0"), (1.5, 0), (True, 0), (1, 21), (None, 0)])
def test_malformed_measures_have_no_value(value: Any, unit: Any) -> None:
    assert measure_value(value, unit) is None


def test_a_repeated_measure_and_a_repeated_weigh_in_are_kept_once() -> None:
    records = _measures(_load("getmeas_edge_cases"))
    at = datetime.fromtimestamp(1733290000, UTC)
    assert _points(records, "fat_free_mass") == [(at, 77.194)]
    assert _points(records, "weight")[0] == (at, 95.854)
    assert len(_points(records, "weight")) == 1


def test_ambiguous_groups_goals_and_segments_are_left_out() -> None:
    records = _measures(_load("getmeas_edge_cases"))
    weights = [value for _, value in _points(records, "weight")]
    assert 60.1 not in weights and 90.0 not in weights  # attrib 1, category 2
    assert _points(records, "fat_mass") == [(datetime.fromtimestamp(1733290000, UTC), 18.66)]  # not segment 174


def test_height_in_metres_becomes_centimetres() -> None:
    at = datetime.fromtimestamp(1733290000, UTC)
    assert _points(_measures(_load("getmeas_edge_cases")), "height") == [(at, 183.0)]


def test_a_dst_day_is_a_23_hour_interval() -> None:
    records = _rows("activities", map_activity)(_load("getactivity_edge_cases"))
    packet = next(r for r in records if isinstance(r, DatastreamPacket) and r.stream_name.endswith("total_calories"))
    point = packet.points[0]
    assert (point.end_time - point.start_time).total_seconds() == 23 * 3600


def test_sleep_efficiency_becomes_a_percentage_and_scores_stay_in_range() -> None:
    records = _rows("series", map_sleep)(_load("getsummary_reference_example"))
    event = next(r for r in records if isinstance(r, Event))
    assert event.parameters["efficiency"] == 91.0
    assert event.parameters["utc_offset"] == "+01:00"
    assert event.parameters["provider_record_id"] == "3300000001"
    edge = _rows("series", map_sleep)(_load("getsummary_edge_cases"))
    assert _points(edge, "sleep_score") == []  # 0 and 140 are not scores


def test_workout_codes_map_to_exercise_types_and_keep_the_raw_code() -> None:
    events = [r for r in _rows("series", map_workouts)(_load("getworkouts_example")) if isinstance(r, Event)]
    assert [(e.event_type.rsplit(".", 1)[-1], e.parameters["activity"]) for e in events] == [
        ("running", "2"), ("exercise", "272"), ("meditation", "551")]
    assert "average_heart_rate" not in events[1].parameters  # 0 means not measured


def _intervals(records: list[Record], short: str) -> list[tuple[datetime, datetime, Any]]:
    """Return (start, end, value) of every interval point of the stream `short` (`interval.step.count`)."""
    return [(p.start_time, p.end_time, p.value) for r in records
            if isinstance(r, DatastreamPacket) and r.stream_name == STREAM + short
            for p in r.points]


def test_intraday_activity_covers_the_sample_duration_and_readings_are_instants() -> None:
    records = _intraday(_load("getintradayactivity_reference_example"))
    at = datetime.fromtimestamp(1733131200, UTC)
    assert _intervals(records, "interval.step.count")[-1] == (at, at + timedelta(seconds=120), 18)
    assert _points(records, "heartrate")[1:] == [(at - timedelta(minutes=10), 71), (at, 69)]


def test_intraday_zeros_are_real_for_activity_and_unmeasured_for_readings() -> None:
    records = _intraday(_load("getintradayactivity_edge_cases"))
    at = datetime.fromtimestamp(1733180400, UTC)
    assert _intervals(records, "interval.step.count")[0] == (at, at + timedelta(minutes=1), 0)
    assert at not in {t for t, _ in _points(records, "heartrate") + _points(records, "oxygen_saturation")}


def test_intraday_activity_without_a_usable_duration_is_left_out_but_its_heart_rate_is_kept() -> None:
    records = _intraday(_load("getintradayactivity_edge_cases"))
    steps = {start: value for start, _, value in _intervals(records, "interval.step.count")}
    for epoch in (1733180460, 1733180580, 1733180640):  # no duration, 0, longer than a day
        assert datetime.fromtimestamp(epoch, UTC) not in steps
    heart = dict(_points(records, "heartrate"))
    assert heart[datetime.fromtimestamp(1733180460, UTC)] == 75 and heart[datetime.fromtimestamp(1733180580, UTC)] == 75


def test_intraday_samples_come_in_time_order_and_skip_keys_that_are_no_epoch() -> None:
    rows = samples({"120": {"steps": 1}, "60": {"steps": 2}, "x": {"steps": 3}, "-1": {}, "180": 4})
    assert rows == [{"steps": 2, "at": 60}, {"steps": 1, "at": 120}]
    assert samples([{"steps": 1}]) == [] and samples(None) == []


@pytest.mark.parametrize("mapper", [map_measures, map_activity, map_workouts, map_sleep, map_sleep_series,
                                    map_intraday])
def test_empty_input_gives_no_records(mapper: Callable[..., list[Record]]) -> None:
    assert mapper([], PERSON, SOURCE) == []
