"""Google Health mappers against provider-shaped fixtures: exact Personicle records out.

Fixtures (tests/providers/fitbit/fixtures/) are the example responses of the reference
(docs/providers/fitbit.md 3.6 and 4.3) plus edge cases; each `<name>.expected.json` holds the
records in the contract's wire form (parameters shown as an object).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from shared.contract.dictionary import load_dictionary
from shared.contract.records import DatastreamPacket, Event, Record
from shared.providers.fitbit import map_series as series
from shared.providers.fitbit.map_exercise import EXERCISE_KINDS, event_kind, map_exercise
from shared.providers.fitbit.map_sleep import map_sleep
from shared.providers.fitbit.map_values import data_points
from tests.providers.fixtures_support import fixture_loader, wire_records

_load = fixture_loader("fitbit")
PERSON, SOURCE = "person-1", "fitbit"


def _series(spec: series.SeriesSpec) -> Callable[[Any], list[Record]]:
    return lambda body: list(series.map_series(spec, body, PERSON, SOURCE))


MAPPERS: dict[str, Callable[[Any], list[Record]]] = {
    "steps_list_example": _series(series.STEPS),
    "heart_rate_list_example": _series(series.HEART_RATE),
    "weight_reconcile_example": _series(series.WEIGHT),
    "total_calories_rollup": _series(series.TOTAL_CALORIES),
    "steps_edge_cases": _series(series.STEPS),
    "samples_edge_cases": _series(series.HEART_RATE_VARIABILITY),
    "resting_heart_rate_reconcile": _series(series.RESTING_HEART_RATE),
    "empty_object": _series(series.STEPS),
    "empty_list": _series(series.HEART_RATE),
    "sleep_list_example": lambda body: list(map_sleep(data_points(body), PERSON, SOURCE)),
    "sleep_edge_cases": lambda body: list(map_sleep(data_points(body), PERSON, SOURCE)),
    "exercise_list_example": lambda body: list(map_exercise(data_points(body), PERSON, SOURCE)),
    "exercise_edge_cases": lambda body: list(map_exercise(data_points(body), PERSON, SOURCE)),
}


@pytest.mark.parametrize("name", sorted(MAPPERS), ids=sorted(MAPPERS))
def test_fixture_maps_to_the_expected_records(name: str) -> None:
    records = MAPPERS[name](_load(name))
    assert wire_records(records) == _load(f"{name}.expected")


OTHER_SERIES = {"distance": series.DISTANCE, "active_energy": series.ACTIVE_ENERGY,
                "active_zone_minutes": series.ACTIVE_ZONE_MINUTES, "oxygen_saturation": series.OXYGEN_SATURATION,
                "respiratory_rate": series.RESPIRATORY_RATE, "body_fat": series.BODY_FAT, "weight": series.WEIGHT}


@pytest.mark.parametrize("name", sorted(OTHER_SERIES), ids=sorted(OTHER_SERIES))
def test_other_series_map_to_the_expected_packets(name: str) -> None:
    body = _load("other_series")[name]
    records = list(series.map_series(OTHER_SERIES[name], body, PERSON, SOURCE))
    assert wire_records(records) == _load("other_series.expected")[name]


@pytest.mark.parametrize("spec", series.ALL_SERIES, ids=[s.json_key for s in series.ALL_SERIES])
def test_series_use_dictionary_names_units_and_kinds(spec: series.SeriesSpec) -> None:
    entry = load_dictionary().stream(spec.stream_name)
    assert entry.unit == spec.unit
    assert entry.interval == (spec.kind in ("interval", "rollup"))


def test_integer_streams_carry_ints_and_numeric_streams_floats() -> None:
    packets = series.map_series(series.STEPS, _load("steps_edge_cases"), PERSON, SOURCE)
    assert {type(point.value) for point in packets[0].points} == {int}
    packets = series.map_series(series.DISTANCE, _load("other_series")["distance"], PERSON, SOURCE)
    assert {type(point.value) for point in packets[0].points} == {float}


def test_times_are_utc_aware_and_subseconds_kept() -> None:
    (packet,) = series.map_series(series.WEIGHT, _load("weight_reconcile_example"), PERSON, SOURCE)
    moment = packet.points[0].timestamp
    assert moment.utcoffset() is not None and moment.utcoffset().total_seconds() == 0
    assert moment.microsecond == 749348


def test_a_page_becomes_one_packet_sorted_oldest_first() -> None:
    (packet,) = series.map_series(series.STEPS, _load("steps_list_example"), PERSON, SOURCE)
    assert isinstance(packet, DatastreamPacket)
    starts = [point.start_time for point in packet.points]
    assert starts == sorted(starts) and len(starts) == 2


def test_mapping_twice_gives_identical_records() -> None:
    body = _load("sleep_list_example")
    first = map_sleep(data_points(body), PERSON, SOURCE)
    second = map_sleep(data_points(json.loads(json.dumps(body))), PERSON, SOURCE)
    assert first == second and all(isinstance(event, Event) for event in first)


def test_every_mapped_exercise_type_is_in_the_dictionary() -> None:
    dictionary = load_dictionary()
    for event_type, event_name in set(EXERCISE_KINDS.values()):
        assert dictionary.event_type(event_type).event_name == event_name


@pytest.mark.parametrize(("raw", "display", "expected"), [
    ("TRAIL_RUN", "Trail run", ("com.personicle.individual.events.exercise.running", "Running")),
    ("YOGA_VINYASA", None, ("com.personicle.individual.events.exercise.yoga", "Yoga")),
    ("OUTDOOR_BIKE", "Outdoor Bike", ("com.personicle.individual.events.exercise.cycling", "Cycling")),
    ("FENCING", "Fencing", ("com.personicle.individual.events.exercise", "Fencing")),
    (None, None, ("com.personicle.individual.events.exercise", "Exercise")),
], ids=["trail-run", "yoga-variant", "bike", "unmapped-keeps-display-name", "missing-type"])
def test_exercise_type_mapping(raw: str | None, display: str | None, expected: tuple[str, str]) -> None:
    assert event_kind(raw, display) == expected


def _stage(start: str, end: str, kind: str) -> dict[str, str]:
    return {"startTime": f"2026-06-01T{start}:00Z", "startUtcOffset": "0s", "endTime": f"2026-06-01T{end}:00Z",
            "endUtcOffset": "0s", "type": kind}


def test_classic_sleep_without_summary_counts_neither_awake_nor_restless_as_asleep() -> None:
    point = {"dataPointName": "users/1/dataTypes/sleep/dataPoints/7", "sleep": {
        "interval": {"startTime": "2026-06-01T00:00:00Z", "startUtcOffset": "0s",
                     "endTime": "2026-06-01T08:00:00Z", "endUtcOffset": "0s"},
        "type": "CLASSIC",
        "stages": [_stage("00:00", "06:00", "ASLEEP"), _stage("06:00", "07:00", "RESTLESS"),
                   _stage("07:00", "08:00", "AWAKE")]}}
    [sleep] = [event for event in map_sleep([point], PERSON, SOURCE) if event.event_type.endswith(".sleep")]
    assert sleep.parameters["asleep_duration"] == 6 * 3600
    assert sleep.parameters["efficiency"] == 75.0
    assert (sleep.parameters["awake_duration"], sleep.parameters["restless_duration"]) == (3600, 3600)
