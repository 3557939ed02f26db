"""The data dictionary file and the Avro schemas it points at."""

from __future__ import annotations

import json

import avro.schema
import fastavro
import pytest

from shared.contract.avro_schemas import schema_fullname, schema_json, schema_names, schema_text
from shared.contract.dictionary import DICTIONARY_PATH, load_dictionary, parse_dictionary, stream
from tests.contract.samples import DS, EV

# The contract's table, with the known defects fixed (counts are count, mmHg, mmol/L).
CONTRACT_STREAMS = {
    "heartrate": ("Integer", "bpm"), "step.count": ("Integer", "count"), "interval.step.count": ("Integer", "count"),
    "step.cumulative": ("Integer", "count"), "step.cadence": ("Numeric", "stepsperminute"),
    "distance": ("Numeric", "meters"), "interval.distance": ("Numeric", "meters"),
    "active_minutes": ("Numeric", "minutes"), "interval.active_minutes": ("Numeric", "minutes"),
    "heart_intensity_minutes": ("Numeric", "minutes"), "interval.heart_intensity_minutes": ("Numeric", "minutes"),
    "resting_calories": ("Numeric", "kilo_calories"), "active_calories": ("Numeric", "kilo_calories"),
    "total_calories": ("Numeric", "kilo_calories"), "interval.total_calories": ("Numeric", "kilo_calories"),
    "weight": ("Numeric", "kilogram"), "height": ("Numeric", "cm"), "body_fat": ("Numeric", "percentage"),
    "speed": ("Numeric", "kmph"), "body_temperature": ("Numeric", "Celsius"),
    "blood_pressure.systolic": ("Numeric", "mmHg"), "blood_pressure.diastolic": ("Numeric", "mmHg"),
    "blood_glucose": ("Numeric", "mmol/L"), "cycling.cadence": ("Numeric", "rpm"),
    "cycling.power": ("Numeric", "watts"), "location": ("Json", None),
}
NEW_STREAMS = {
    "heart_rate_variability": ("Numeric", "ms"), "oxygen_saturation": ("Numeric", "percentage"),
    "respiratory_rate": ("Numeric", "breaths_per_minute"), "resting_heartrate": ("Integer", "bpm"),
    "skin_temperature_deviation": ("Numeric", "Celsius"), "sleep_score": ("Integer", "score"),
    "readiness_score": ("Integer", "score"), "activity_score": ("Integer", "score"),
    "vo2_max": ("Numeric", "ml/kg/min"), "stress_high": ("Integer", "seconds"),
    "met_minutes": ("Numeric", "met_minutes"),
}


@pytest.mark.parametrize("name, expected", {**CONTRACT_STREAMS, **NEW_STREAMS}.items(),
                         ids=list({**CONTRACT_STREAMS, **NEW_STREAMS}))
def test_stream_value_type_and_unit(name, expected):
    entry = stream(DS + name)
    assert (entry.value_type, entry.unit) == expected
    assert entry.interval == name.startswith("interval.")


def test_every_stream_names_a_shipped_schema_of_its_shape():
    for entry in load_dictionary().streams.values():
        fields = {field["name"]: field for field in schema_json(entry.schema)["fields"]}
        point = fields["dataPoints"]["type"]["items"]
        point_fields = [field["name"] for field in point["fields"]]
        assert point_fields == (["start_time", "end_time", "value"] if entry.interval else ["timestamp", "value"])
        value_type = next(field["type"] for field in point["fields"] if field["name"] == "value")
        assert value_type == {"Integer": "int", "Numeric": "float"}.get(entry.value_type, value_type)


def test_event_types_listed():
    types = load_dictionary().event_types
    for name in ("sleep", "sleep.stage.awake", "sleep.stage.light", "sleep.stage.deep", "sleep.stage.rem",
                 "exercise", "exercise.running", "exercise.cycling", "exercise.walking"):
        assert EV + name in types
    exercise = types[EV + "exercise"]
    assert (exercise.parameters["duration"].value_type, exercise.parameters["duration"].unit) == ("Integer", "seconds")
    assert exercise.parameters["source_device"].value_type == "String"


def test_unknown_names_raise_key_error():
    with pytest.raises(KeyError, match="not in the data dictionary"):
        stream(DS + "heart_rate")
    with pytest.raises(KeyError, match="not in the data dictionary"):
        load_dictionary().event_type(EV + "nap")


def test_dictionary_file_is_plain_json_and_cached():
    document = json.loads(DICTIONARY_PATH.read_text(encoding="utf-8"))
    assert set(document) >= {"datastreams", "event_types"}
    assert load_dictionary() is load_dictionary()


def _document(**stream_spec):
    spec = {"value_type": "Numeric", "unit": "ms", "interval": False, **stream_spec}
    return {"datastreams": {DS + "x": spec}, "event_types": {}}


MALFORMED = {
    "bad-value-type": (_document(value_type="Float"), "value_type"),
    "interval-flag-without-interval-name": (_document(interval=True), "interval"),
    "empty-unit": (_document(unit=""), "unit"),
    "json-without-schema": (_document(value_type="Json", unit=None), "schema"),
    "wrong-schema": (_document(schema="integer_datastream"), "schema"),
    "name-outside-prefix": ({"datastreams": {"heartrate": {"value_type": "Integer", "unit": "bpm",
                                                           "interval": False}}, "event_types": {}}, "name"),
    "upper-case-event-type": ({"datastreams": {}, "event_types": {EV + "Sleep": {"event_name": "Sleep"}}},
                              "lower-case"),
    "bad-parameter-type": ({"datastreams": {}, "event_types": {EV + "sleep": {
        "event_name": "Sleep", "parameters": {"duration": {"value_type": "Seconds"}}}}}, "duration"),
}


@pytest.mark.parametrize("case", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_entries_are_refused(case):
    document, words = case
    with pytest.raises(ValueError, match=words):
        parse_dictionary(document)


@pytest.mark.parametrize("name", schema_names())
def test_schemas_parse_with_both_avro_libraries(name):
    assert avro.schema.parse(schema_text(name)).fullname == schema_fullname(name)
    fastavro.parse_schema(json.loads(schema_text(name)))
    assert schema_fullname(name).startswith("com.personicle.")


def test_schema_field_order_follows_the_contract():
    def names(schema):
        return [field["name"] for field in schema_json(schema)["fields"]]

    assert names("event") == ["individual_id", "start_time", "end_time", "event_name", "source", "parameters",
                              "event_type"]
    for schema in ("integer_datastream", "numeric_datastream", "integer_interval_datastream",
                   "numeric_interval_datastream", "location_datastream"):
        assert names(schema) == ["streamName", "individual_id", "source", "confidence", "unit", "dataPoints"]
    fields = {field["name"]: field["type"] for field in schema_json("numeric_datastream")["fields"]}
    assert (fields["confidence"], fields["unit"]) == (["float", "null"], ["string", "null"])
    location_value = schema_json("location_datastream")["fields"][5]["type"]["items"]["fields"][1]["type"]
    assert [(f["name"], f["type"]) for f in location_value["items"]["fields"]] == [("latitude", "double"),
                                                                                  ("longitude", "double")]
