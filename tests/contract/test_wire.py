"""Wire form of records and the contract's validation rules."""

from __future__ import annotations

import copy
import json

import pytest

from shared.contract.wire import to_wire, validate_wire
from shared.errors import RecordValidationError
from tests.contract.samples import DS, EV, every_kind, heart_rate, interval_steps, location, sleep_event, weight


def test_event_wire_form_is_exact():
    assert to_wire(sleep_event()) == {
        "individual_id": "00u1personicle",
        "start_time": "2026-09-30 03:10:00",
        "end_time": "2026-09-30 10:52:00",
        "event_name": "Sleep",
        "source": "fitbit",
        "parameters": '{"duration":27720,"efficiency":93.5,"main_sleep":true,"notes":"été",'
                      '"provider_record_id":"sleep-123","utc_offset":"-04:00"}',
        "event_type": EV + "sleep",
    }


def test_datastream_wire_forms_are_exact():
    assert to_wire(weight()) == {
        "streamName": DS + "weight", "individual_id": "00u1personicle", "source": "google-fit",
        "confidence": 0.75, "unit": "kilogram",
        "dataPoints": [{"timestamp": "2026-09-30 03:10:00", "value": 72.5},
                       {"timestamp": "2026-10-01 03:10:00", "value": 72}],
    }
    assert to_wire(interval_steps(2))["dataPoints"] == [
        {"start_time": "2026-09-30 03:10:00", "end_time": "2026-09-30 03:11:00", "value": 0},
        {"start_time": "2026-09-30 03:11:00", "end_time": "2026-09-30 03:12:00", "value": 10},
    ]
    assert to_wire(location())["dataPoints"][1] == {
        "timestamp": "2026-09-30 03:10:30",
        "value": [{"latitude": 33.6406, "longitude": -117.8441}, {"latitude": 33.6407, "longitude": -117.844}],
    }


def test_int_values_stay_ints():
    values = [point["value"] for point in to_wire(heart_rate(3))["dataPoints"]]
    assert values == [55, 56, 57] and all(type(v) is int for v in values)
    assert type(to_wire(weight())["dataPoints"][1]["value"]) is int


@pytest.mark.parametrize("record", every_kind().values(), ids=every_kind().keys())
def test_every_sample_passes_validation(record):
    wire = to_wire(record)
    validate_wire(wire)
    assert json.loads(json.dumps(wire)) == wire


def _event(**changes):
    wire = to_wire(sleep_event())
    wire.update(changes)
    return wire


def _packet(record=None, point=None, **changes):
    wire = to_wire(record or heart_rate(3))
    wire.update(changes)
    if point is not None:
        wire["dataPoints"][1] = point
    return wire


def _without(wire, field):
    wire = copy.deepcopy(wire)
    del wire[field]
    return wire


HR = DS + "heartrate"
SLEEP = EV + "sleep"
INVALID = {
    # events
    "event-missing-event-type": (_without(_event(), "event_type"), "<event>", "event_type"),
    "event-extra-field": (_event(streamname=None), SLEEP, "streamname"),
    "event-null-name": (_event(event_name=None), SLEEP, "event_name"),
    "event-empty-source": (_event(source=""), SLEEP, "source"),
    "event-time-with-offset": (_event(start_time="2026-09-30 03:10:00+02:00"), SLEEP, "start_time"),
    "event-iso-t-time": (_event(end_time="2026-09-30T10:52:00"), SLEEP, "end_time"),
    "event-time-not-string": (_event(start_time=1727665800), SLEEP, "start_time"),
    "event-ends-before-start": (_event(end_time="2026-09-30 03:09:59"), SLEEP, "end_time"),
    "event-unknown-type": (_event(event_type=EV + "nap"), EV + "nap", "event_type"),
    "event-parameters-object": (_event(parameters={"duration": 1}), SLEEP, "parameters"),
    "event-parameters-not-json": (_event(parameters="{duration: 1}"), SLEEP, "parameters"),
    "event-parameters-array": (_event(parameters="[1, 2]"), SLEEP, "parameters"),
    "event-parameter-null": (_event(parameters='{"duration": null}'), SLEEP, "parameters.duration"),
    "event-duration-float": (_event(parameters='{"duration": 60.5}'), SLEEP, "parameters.duration"),
    "event-duration-string": (_event(parameters='{"duration": "60"}'), SLEEP, "parameters.duration"),
    # datastream packets
    "unknown-stream": (_packet(streamName=DS + "heart_rate"), DS + "heart_rate", "streamName"),
    "stream-not-string": (_packet(streamName=7), "<datastream>", "streamName"),
    "wrong-unit": (_packet(unit="beats"), HR, "unit"),
    "null-unit": (_packet(unit=None), HR, "unit"),
    "location-with-unit": (_packet(location(), unit="degrees"), DS + "location", "unit"),
    "null-individual": (_packet(individual_id=None), HR, "individual_id"),
    "missing-confidence": (_without(_packet(), "confidence"), HR, "confidence"),
    "confidence-string": (_packet(confidence="high"), HR, "confidence"),
    "confidence-bool": (_packet(confidence=True), HR, "confidence"),
    "empty-datapoints": (_packet(dataPoints=[]), HR, "dataPoints"),
    "datapoints-object": (_packet(dataPoints={"timestamp": "2026-09-30 03:10:00", "value": 1}), HR, "dataPoints"),
    "float-in-integer-stream": (_packet(point={"timestamp": "2026-09-30 03:10:01", "value": 60.0}), HR,
                                "dataPoints[1].value"),
    "bool-in-integer-stream": (_packet(point={"timestamp": "2026-09-30 03:10:01", "value": True}), HR,
                               "dataPoints[1].value"),
    "int-beyond-32-bits": (_packet(point={"timestamp": "2026-09-30 03:10:01", "value": 2**31}), HR,
                           "dataPoints[1].value"),
    "null-value": (_packet(point={"timestamp": "2026-09-30 03:10:01", "value": None}), HR, "dataPoints[1].value"),
    "missing-value": (_packet(point={"timestamp": "2026-09-30 03:10:01"}), HR, "dataPoints[1].value"),
    "string-value": (_packet(weight(), point={"timestamp": "2026-09-30 03:10:01", "value": "72"}), DS + "weight",
                     "dataPoints[1].value"),
    "nan-value": (_packet(weight(), point={"timestamp": "2026-09-30 03:10:01", "value": float("nan")}),
                  DS + "weight", "dataPoints[1].value"),
    "infinite-value": (_packet(weight(), point={"timestamp": "2026-09-30 03:10:01", "value": float("inf")}),
                       DS + "weight", "dataPoints[1].value"),
    "null-timestamp": (_packet(point={"timestamp": None, "value": 1}), HR, "dataPoints[1].timestamp"),
    "bad-timestamp": (_packet(point={"timestamp": "2026-09-30 25:10:01", "value": 1}), HR,
                      "dataPoints[1].timestamp"),
    "two-times-in-one-string": (_packet(point={"timestamp": "2026-09-30 03:10:01\n2026-09-30 03:10:02", "value": 1}),
                                HR, "dataPoints[1].timestamp"),
    "interval-point-on-instant-stream": (
        _packet(point={"start_time": "2026-09-30 03:10:01", "end_time": "2026-09-30 03:10:02", "value": 1}), HR,
        "dataPoints[1].timestamp"),
    "extra-point-field": (_packet(point={"timestamp": "2026-09-30 03:10:01", "value": 1, "unit": "bpm"}), HR,
                          "dataPoints[1].unit"),
    "point-not-object": (_packet(point=[1, 2]), HR, "dataPoints[1]"),
    "instant-point-on-interval-stream": (
        _packet(interval_steps(), point={"timestamp": "2026-09-30 03:10:01", "value": 1}),
        DS + "interval.step.count", "dataPoints[1].start_time"),
    "interval-ends-before-start": (
        _packet(interval_steps(), point={"start_time": "2026-09-30 03:10:01", "end_time": "2026-09-30 03:10:00",
                                         "value": 1}), DS + "interval.step.count", "dataPoints[1].end_time"),
    "location-empty": (_packet(location(), point={"timestamp": "2026-09-30 03:10:01", "value": []}),
                       DS + "location", "dataPoints[1].value"),
    "location-latitude-range": (
        _packet(location(), point={"timestamp": "2026-09-30 03:10:01",
                                   "value": [{"latitude": 91.0, "longitude": 0.0}]}),
        DS + "location", "dataPoints[1].value[0].latitude"),
}


@pytest.mark.parametrize("case", INVALID.values(), ids=INVALID.keys())
def test_invalid_wire_dicts_name_stream_and_field(case):
    wire, stream, field = case
    with pytest.raises(RecordValidationError) as caught:
        validate_wire(wire)
    assert (caught.value.stream, caught.value.field) == (stream, field)


def test_not_an_object_is_refused():
    with pytest.raises(RecordValidationError, match="JSON object"):
        validate_wire([to_wire(weight())])


def test_validation_of_a_day_of_one_hertz_points_names_the_bad_point():
    wire = to_wire(heart_rate(86_400))
    validate_wire(wire)
    wire["dataPoints"][86_000]["value"] = 61.5
    with pytest.raises(RecordValidationError) as caught:
        validate_wire(wire)
    assert caught.value.field == "dataPoints[86000].value"
