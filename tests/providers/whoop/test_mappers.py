"""WHOOP mappers against provider-shaped fixtures: exact Personicle records out, and the rules behind them.

Fixtures: the example responses of WHOOP's API reference (cycle, recovery, sleep, workout, body),
the illustrative page of docs/providers/whoop.md 9, and edge cases (the current cycle, pending and
unscorable scores, optional fields absent or null, odd offsets, malformed times). Each
`<name>.expected.json` holds the records in the contract's wire form (parameters as an object).
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from shared.contract.records import DatastreamPacket, Event, record_id
from shared.providers.whoop.map_values import instant, offset
from shared.providers.whoop.map_workouts import SPORT_KINDS, sport_kind
from tests.providers.fixtures_support import wire_records
from tests.providers.whoop.support import BODY_STAMP, CYCLES, EVERY_MAPPER, MAPPERS, RECOVERIES, SLEEPS, WORKOUTS, load

UTC = timezone.utc
STREAM = "com.personicle.individual.datastreams."
EVENT = "com.personicle.individual.events."


@pytest.mark.parametrize("name", sorted(MAPPERS))
def test_fixture_maps_to_expected_records(name: str) -> None:
    assert wire_records(MAPPERS[name](load(name))) == load(f"{name}.expected")


@pytest.mark.parametrize("empty", ["empty_page", "empty_object"])
@pytest.mark.parametrize("mapper", sorted(EVERY_MAPPER))
def test_empty_pages_give_no_records(mapper: str, empty: str) -> None:
    assert EVERY_MAPPER[mapper](load(empty)) == []


@pytest.mark.parametrize("name", sorted(MAPPERS))
def test_mapping_again_gives_identical_records_and_distinct_ids(name: str) -> None:
    first, again = MAPPERS[name](load(name)), MAPPERS[name](load(name))

    assert [record_id(r) for r in first] == [record_id(r) for r in again]
    assert len({record_id(r) for r in first}) == len(first)


def test_vendor_cycle_example_converts_kilojoules_and_keeps_the_int_id() -> None:
    (event, energy) = CYCLES(load("cycle_example"))

    assert isinstance(event, Event) and isinstance(energy, DatastreamPacket)
    assert event.event_type == EVENT + "physiological_cycle"
    assert (event.start_time, event.end_time) == (datetime(2022, 4, 24, 2, 25, 44, 774000, tzinfo=UTC),
                                                  datetime(2022, 4, 24, 10, 25, 44, 774000, tzinfo=UTC))
    assert dict(event.parameters) == {"duration": 28800, "utc_offset": "-05:00", "provider_record_id": "93845",
                                      "strain": 5.2951527, "calories": round(8288.297 / 4.184, 3),
                                      "average_heart_rate": 68, "max_heart_rate": 141}
    assert energy.stream_name == STREAM + "interval.total_calories" and energy.unit == "kilo_calories"
    assert energy.points[0].value == pytest.approx(1980.951, abs=0.001)


def test_cycles_without_end_or_final_score_are_not_emitted() -> None:
    emitted = [r.parameters["provider_record_id"] for r in CYCLES(load("cycle_edge_cases")) if isinstance(r, Event)]

    # 5001 is the current cycle (no end), 4999 pending, 4998 unscorable, 4996 has no readable start.
    assert emitted == ["5000", "4997"]


def test_vendor_recovery_example_gives_one_point_per_measurement_at_created_at() -> None:
    packets = {p.stream_name: p for p in RECOVERIES(load("recovery_example"))}
    stamp = datetime(2022, 4, 24, 11, 25, 44, 774000, tzinfo=UTC)

    assert {name.removeprefix(STREAM): (p.unit, [(q.timestamp, q.value) for q in p.points])
            for name, p in packets.items()} == {
        "recovery_score": ("percentage", [(stamp, 44)]), "resting_heartrate": ("bpm", [(stamp, 64)]),
        "heart_rate_variability": ("ms", [(stamp, 31.813562)]), "oxygen_saturation": ("percentage", [(stamp, 95.6875)]),
        "skin_temperature": ("Celsius", [(stamp, 33.7)])}


def test_recoveries_pending_unscorable_or_without_time_give_nothing_and_missing_values_stay_missing() -> None:
    packets = {p.stream_name.removeprefix(STREAM): [q.value for q in p.points]
               for p in RECOVERIES(load("recovery_edge_cases"))}

    assert packets == {"recovery_score": [66, 0], "resting_heartrate": [58], "heart_rate_variability": [48.25],
                       "oxygen_saturation": [96.5], "skin_temperature": [34.12]}


def test_vendor_sleep_example_sums_asleep_time_and_sleep_need() -> None:
    (sleep,) = SLEEPS(load("sleep_example"))

    assert sleep.parameters["asleep_duration"] == round((14905851 + 6630370 + 5879573) / 1000)
    assert sleep.parameters["sleep_need"] == round((27395716 + 352230 + 208595 - 12312) / 1000)
    assert sleep.parameters["efficiency"] == 91.69533848 and sleep.parameters["average_breath"] == 16.11328125


def test_reference_page_drops_the_pending_nap_until_it_is_scored() -> None:
    (night,) = SLEEPS(load("sleep_reference_page"))

    assert night.parameters["provider_record_id"] == "3f2c9a1e-6b7d-4e58-9c01-2a4b6d8e0f13"
    assert night.parameters["utc_offset"] == "+01:00" and night.parameters["main_sleep"] is True


def test_unscorable_nap_keeps_its_times_and_state_and_bad_spans_are_skipped() -> None:
    sleeps = SLEEPS(load("sleep_edge_cases"))

    assert [(s.parameters["provider_record_id"][-1], s.parameters.get("score_state"), s.parameters.get("sleep_type"))
            for s in sleeps] == [("1", None, "sleep"), ("2", "UNSCORABLE", "nap"), ("4", None, "sleep")]
    assert "utc_offset" not in sleeps[2].parameters  # +25:00 is no offset
    assert "asleep_duration" not in sleeps[2].parameters  # stages absent: unknown, not zero


def test_workout_edge_cases_map_sports_zones_and_states() -> None:
    workouts = WORKOUTS(load("workout_edge_cases"))

    assert [(w.event_type.removeprefix(EVENT), w.parameters.get("activity"), w.parameters.get("score_state"))
            for w in workouts] == [("exercise.strength_training", "functional-fitness", None),
                                   ("exercise", "sauna", "UNSCORABLE"), ("exercise", None, None)]
    assert workouts[0].parameters["heart_rate_zone_5_duration"] == 30  # `zone_duration`, the older spelling
    assert workouts[0].parameters["calories"] == 400.0
    assert "distance" not in workouts[0].parameters
    assert workouts[1].event_name == "Sauna"


@pytest.mark.parametrize(("sport", "kind"), [
    ("running", "exercise.running"), ("Hiking/Rucking", "exercise.hiking"), ("strength trainer", "exercise.strength_training"),
    ("Stairmaster", "exercise.stair_climbing"), ("ice-bath", "exercise"), (None, "exercise")])
def test_sport_names_map_case_and_separator_insensitively(sport: str | None, kind: str) -> None:
    assert sport_kind(sport)[0] == EVENT + kind


def test_every_sport_kind_is_in_the_data_dictionary() -> None:
    from shared.contract.dictionary import load_dictionary

    dictionary = load_dictionary()
    for event_type, _ in SPORT_KINDS.values():
        assert dictionary.event_type(event_type).name == event_type


def test_body_measurement_converts_metres_to_centimetres() -> None:
    packets = {p.stream_name.removeprefix(STREAM): (p.unit, p.points[0].timestamp, p.points[0].value)
               for p in EVERY_MAPPER["body"](load("body_example"))}

    assert packets == {"weight": ("kilogram", BODY_STAMP, 90.7185), "height": ("cm", BODY_STAMP, 182.88)}


@pytest.mark.parametrize(("text", "expected"), [
    ("Z", "+00:00"), ("-05:00", "-05:00"), ("+0530", "+05:30"), ("+25:00", None), ("05:00", None), (None, None)])
def test_offsets_are_read_as_written(text: str | None, expected: str | None) -> None:
    assert offset(text) == expected


def test_times_need_a_zone() -> None:
    assert instant("2022-04-24T11:25:44.774Z") == datetime(2022, 4, 24, 11, 25, 44, 774000, tzinfo=UTC)
    assert instant("2022-04-24T11:25:44") is None and instant(17) is None
