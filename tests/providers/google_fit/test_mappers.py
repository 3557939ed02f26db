"""Google Fit mappers against provider-shaped fixtures: exact Personicle records out.

Fixtures (tests/providers/google_fit/fixtures/) are the example responses of the reference
(docs/providers/google_fit.md 3.2, 3.3, 3.4) plus edge cases: Google's empty buckets (`point: []`
and no `point` key), unset value slots, summaries in either order, unit conversions, sleep
segments and sessions crossing midnight. Each `<name>.expected.json` holds the records in the
contract's wire form (parameters shown as an object).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest

from shared.contract.dictionary import load_dictionary
from shared.contract.records import DatastreamPacket, IntervalPoint, Point, Record, record_id
from shared.contract.wire import to_wire
from shared.providers.google_fit import map_series as fit
from shared.providers.google_fit.map_activities import ACTIVITY_NAMES, EXERCISE_KINDS, SLEEP_STAGES, exercise_kind
from shared.providers.google_fit.map_sessions import map_sessions, map_sleep_segments
from shared.providers.google_fit.map_values import from_millis, from_nanos, items, slot, summary
from tests.providers.fixtures_support import fixture_loader, wire_records

_load = fixture_loader("google_fit")
PERSON, SOURCE = "person-1", "google-fit"
REFERENCE_SPECS = (fit.STEPS, fit.DISTANCE, fit.CALORIES, fit.HEART_RATE, fit.MOVE_MINUTES, fit.HEART_POINTS,
                   fit.WEIGHT)
EDGE_SPECS = (fit.BASAL_METABOLIC_RATE, fit.HEIGHT, fit.SPEED, fit.BLOOD_PRESSURE, fit.OXYGEN_SATURATION,
              fit.BODY_TEMPERATURE, fit.BLOOD_GLUCOSE, fit.BODY_FAT, fit.STEPS, fit.HEART_RATE)


def _aggregate(specs: tuple[fit.AggregateSpec, ...]) -> Callable[[Any], list[Record]]:
    return lambda body: list(fit.map_aggregate(body, specs, PERSON, SOURCE))


MAPPERS: dict[str, Callable[[Any], list[Record]]] = {
    "aggregate_reference_example": _aggregate(REFERENCE_SPECS),
    "aggregate_edge_cases": _aggregate(EDGE_SPECS),
    "empty_object": _aggregate(REFERENCE_SPECS),
    "empty_buckets": _aggregate(REFERENCE_SPECS),
    "sessions_reference_example": lambda body: list(map_sessions(items(body, "session"), PERSON, SOURCE)),
    "sessions_edge_cases": lambda body: list(map_sessions(items(body, "session"), PERSON, SOURCE)),
    "sleep_segments_reference_example": lambda body: list(map_sleep_segments(items(body, "point"), PERSON, SOURCE)),
    "sleep_segments_edge_cases": lambda body: list(map_sleep_segments(items(body, "point"), PERSON, SOURCE)),
}


@pytest.mark.parametrize("name", sorted(MAPPERS), ids=sorted(MAPPERS))
def test_fixture_maps_to_the_expected_records(name: str) -> None:
    records = MAPPERS[name](_load(name))
    assert wire_records(records) == _load(f"{name}.expected")


@pytest.mark.parametrize("name", sorted(MAPPERS), ids=sorted(MAPPERS))
def test_mapping_is_deterministic(name: str) -> None:
    first, second = MAPPERS[name](_load(name)), MAPPERS[name](_load(name))
    assert first == second
    assert [record_id(r) for r in first] == [record_id(r) for r in second]


def _bucket(*datasets: Any, start: int = 1741564800000, hours: int = 24) -> dict[str, Any]:
    return {"bucket": [{"startTimeMillis": str(start), "endTimeMillis": str(start + hours * 3_600_000),
                        "dataset": list(datasets)}]}


def _summary_point(*values: Any, at: str = "1741600800000000000") -> dict[str, Any]:
    return {"point": [{"startTimeNanos": at, "endTimeNanos": at,
                       "value": [{"fpVal": value} if value is not None else {} for value in values]}]}


def _only_value(packets: list[DatastreamPacket]) -> int | float:
    assert len(packets) == 1 and len(packets[0].points) == 1
    return packets[0].points[0].value


CONVERSIONS = [
    ("height-metres-to-cm", fit.HEIGHT, (1.625, 1.625, 1.625), 162.5),
    ("height-float32-noise", fit.HEIGHT, (1.7799999713897705,) * 3, 178.0),
    ("speed-mps-to-kmph", fit.SPEED, (2.5, 4.0, 1.0), 9.0),
    ("speed-integer-literal", fit.SPEED, (5, 5, 5), 18.0),
    ("weight-kilograms-kept", fit.WEIGHT, (72.0999984741211,) * 3, 72.1),
    ("glucose-mmol-kept", fit.BLOOD_GLUCOSE, (5.4, 6.0, 5.0, None, None, None, None), 5.4),
    ("temperature-celsius-kept", fit.BODY_TEMPERATURE, (36.8, 37.0, 36.5, None), 36.8),
]


@pytest.mark.parametrize(("name", "spec", "values", "expected"), CONVERSIONS, ids=[row[0] for row in CONVERSIONS])
def test_units_are_converted_to_the_dictionary_unit(name: str, spec: fit.AggregateSpec, values: tuple,
                                                     expected: float) -> None:
    packets = fit.map_aggregate(_bucket(_summary_point(*values)), (spec,), PERSON, SOURCE)
    assert _only_value(packets) == pytest.approx(expected, abs=1e-9)
    assert packets[0].unit == load_dictionary().stream(packets[0].stream_name).unit


def test_heart_minutes_are_the_duration_and_heart_points_their_own_stream() -> None:
    # 10 vigorous minutes earn 20 heart points: slot 0 is points, slot 1 the minutes.
    packets = fit.map_aggregate(_bucket(_summary_point(20.0, 10)), (fit.HEART_POINTS,), PERSON, SOURCE)
    found = {p.stream_name.rsplit(".", 1)[-1]: (p.points[0].value, p.unit) for p in packets}
    assert found == {"heart_intensity_minutes": (10.0, "minutes"), "heart_points": (20.0, "points")}


ORDERS = [("sdk-average-max-min", (71.5, 90.0, 55.0)), ("reported-min-average-max", (55.0, 71.5, 90.0)),
          ("max-first", (90.0, 55.0, 71.5))]


@pytest.mark.parametrize(("name", "values"), ORDERS, ids=[row[0] for row in ORDERS])
def test_summaries_read_the_same_in_any_order(name: str, values: tuple[float, float, float]) -> None:
    assert summary([float(v) for v in values]) == (71.5, 90.0, 55.0)
    packets = fit.map_aggregate(_bucket(_summary_point(*values)), (fit.HEART_RATE,), PERSON, SOURCE)
    assert {p.stream_name.rsplit(".", 1)[-1]: p.points[0].value for p in packets} == {
        "heartrate": 71.5, "max": 90.0, "min": 55.0}


@pytest.mark.parametrize("hours", [24, 1, 6], ids=["day", "hour", "quarter-day"])
def test_basal_rate_becomes_energy_over_the_bucket(hours: int) -> None:
    packets = fit.map_aggregate(_bucket(_summary_point(1440.0, 1440.0, 1440.0), hours=hours),
                                (fit.BASAL_METABOLIC_RATE,), PERSON, SOURCE)
    point = packets[0].points[0]
    assert isinstance(point, IntervalPoint) and point.value == pytest.approx(60.0 * hours)
    assert (point.end_time - point.start_time).total_seconds() == hours * 3600


def test_datasets_are_matched_by_position_not_by_id() -> None:
    steps = {"dataSourceId": "derived:com.google.weight.summary:com.google.android.gms:aggregated",
             "point": [{"startTimeNanos": "1741590000000000000", "endTimeNanos": "1741600000000000000",
                        "value": [{"intVal": 4321}]}]}
    packets = fit.map_aggregate(_bucket(steps), (fit.STEPS,), PERSON, SOURCE)
    assert packets[0].stream_name.endswith("interval.step.count") and _only_value(packets) == 4321


def test_interval_points_span_the_bucket_and_samples_sit_at_the_first_reading() -> None:
    body = _bucket({"point": [{"startTimeNanos": "1741590000000000000", "endTimeNanos": "1741600000000000000",
                               "value": [{"intVal": 10}]}]},
                   _summary_point(70.0, 70.0, 70.0, at="1741590123456789012"))
    steps, weight = fit.map_aggregate(body, (fit.STEPS, fit.WEIGHT), PERSON, SOURCE)
    assert to_wire(steps)["dataPoints"] == [{"start_time": "2025-03-10 00:00:00", "end_time": "2025-03-11 00:00:00",
                                             "value": 10}]
    assert isinstance(weight.points[0], Point)
    assert weight.points[0].timestamp == from_nanos("1741590123456789012")


_AT = datetime(2025, 3, 10, 7, 2, 3, tzinfo=timezone.utc)
TIMES = [("nanos-string", from_nanos, "1741590123456789012", _AT.replace(microsecond=456789)),
         ("nanos-number", from_nanos, 1741590123000000000, _AT),
         ("millis-string", from_millis, "1741590123456", _AT.replace(microsecond=456000)),
         ("millis-number", from_millis, 1741590123456, _AT.replace(microsecond=456000)),
         ("millis-float-integral", from_millis, 1741590123000.0, _AT),
         ("garbage", from_millis, "soon", None), ("missing", from_nanos, None, None), ("bool", from_millis, True, None)]


@pytest.mark.parametrize(("name", "parse", "value", "expected"), TIMES, ids=[row[0] for row in TIMES])
def test_int64_times_parse_from_strings_and_numbers(name: str, parse: Callable[[Any], Any], value: Any,
                                                    expected: datetime | None) -> None:
    assert parse(value) == expected


SLOTS = [("int", {"intVal": 7, "mapVal": []}, 7), ("float", {"fpVal": 7.5}, 7.5),
         ("float-integer-literal", {"fpVal": 54}, 54.0), ("unset-empty", {}, None),
         ("unset-mapval", {"mapVal": []}, None), ("bool-is-not-int", {"intVal": True}, None),
         ("string-is-not-number", {"fpVal": "7.5"}, None), ("not-an-object", None, None)]



@pytest.mark.parametrize(("name", "value", "expected"), SLOTS, ids=[row[0] for row in SLOTS])
def test_value_slots_decode_int_float_or_unset(name: str, value: Any, expected: Any) -> None:
    found = slot(value)
    assert found == expected and type(found) is type(expected)


def test_every_output_stream_is_in_the_dictionary_with_its_unit_and_kind() -> None:
    dictionary = load_dictionary()
    for spec in fit.ALL_SPECS:
        for output in spec.outputs:
            entry = dictionary.stream(output.stream_name)
            assert (entry.unit, entry.interval) == (output.unit, output.over_bucket), output.stream_name


def test_every_event_type_is_in_the_dictionary() -> None:
    dictionary = load_dictionary()
    types = {kind for kind, _ in EXERCISE_KINDS.values()} | {kind for kind, _ in SLEEP_STAGES.values()}
    types |= {exercise_kind(activity)[0] for activity in ACTIVITY_NAMES} | {"com.personicle.individual.events.sleep"}
    for event_type in types:
        dictionary.event_type(event_type)
