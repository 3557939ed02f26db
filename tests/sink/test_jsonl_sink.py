"""Local JSONL sink: one wrapped wire dict per line, one file per hub, stable record ids."""

from __future__ import annotations

import dataclasses
import json

import pytest

from shared.contract.records import record_id
from shared.contract.wire import to_wire, validate_wire
from shared.errors import RecordValidationError, SinkError
from shared.sink.factory import create_sink
from shared.sink.jsonl import JsonlSink
from shared.sink.prepare import prepare
from tests.contract.samples import every_kind, heart_rate, sleep_event, weight
from tests.sink.fakes import BASIC_LIMIT, make_settings


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_lines_are_the_wire_form_with_id_kind_and_partition_key(tmp_path):
    sink = create_sink(make_settings(SINK_KIND="jsonl", LOCAL_SINK_DIR=str(tmp_path), PERSONICLE_EXTENSIONS="all"))
    assert isinstance(sink.inner, JsonlSink)
    records = list(every_kind().values())
    sink.send(records)
    events, streams = _lines(tmp_path / "events.jsonl"), _lines(tmp_path / "datastreams.jsonl")
    assert len(events) == 1 and len(streams) == len(records) - 1
    for line in events + streams:
        assert list(line) == ["record_id", "kind", "partition_key", "body"]
        validate_wire(line["body"])
        assert line["partition_key"] == line["body"]["individual_id"]
    assert {line["record_id"]: (line["kind"], line["body"]) for line in events + streams} == {
        record_id(r): ("event" if r is records[0] else "datastream", to_wire(r)) for r in records}


def test_resending_appends_the_same_record_ids(tmp_path):
    sink = JsonlSink(make_settings(LOCAL_SINK_DIR=str(tmp_path)))
    records = [sleep_event(), heart_rate(10), weight()]
    sink.send(records)
    sink.send(records)
    lines = _lines(tmp_path / "events.jsonl") + _lines(tmp_path / "datastreams.jsonl")
    ids = [line["record_id"] for line in lines]
    assert len(ids) == 6 and len(set(ids)) == 3
    assert set(ids) == {record_id(record) for record in records}


def test_hub_file_names_come_from_settings(tmp_path):
    settings = make_settings(LOCAL_SINK_DIR=str(tmp_path / "new" / "dir"), EVENTS_EVENTHUB_NAME="ev",
                             DATASTREAMS_EVENTHUB_NAME="ds")
    JsonlSink(settings).send([sleep_event(), weight()])
    assert sorted(p.name for p in (tmp_path / "new" / "dir").iterdir()) == ["ds.jsonl", "ev.jsonl"]


def test_large_packets_are_split_as_for_event_hubs(tmp_path):
    sink = JsonlSink(make_settings(LOCAL_SINK_DIR=str(tmp_path)), max_message_bytes=BASIC_LIMIT)
    day = heart_rate(86_400)
    sink.send([day])
    lines = _lines(tmp_path / "datastreams.jsonl")
    assert len(lines) > 1
    assert all(len(json.dumps(line["body"], separators=(",", ":")).encode()) < BASIC_LIMIT for line in lines)
    assert [p for line in lines for p in line["body"]["dataPoints"]] == to_wire(day)["dataPoints"]
    planned = prepare([day], events_hub="events", datastreams_hub="datastreams", max_message_bytes=BASIC_LIMIT)
    assert [line["record_id"] for line in lines] == [item.record_id for item in planned]


def test_an_invalid_record_writes_nothing(tmp_path):
    sink = JsonlSink(make_settings(LOCAL_SINK_DIR=str(tmp_path)))
    bad = dataclasses.replace(heart_rate(3), points=heart_rate(3).points + (dataclasses.replace(
        heart_rate(3).points[0], value=61.5),))
    with pytest.raises(RecordValidationError) as caught:
        sink.send([sleep_event(), bad])
    assert (caught.value.stream, caught.value.field) == (bad.stream_name, "dataPoints[3].value")
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_a_sink_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(SinkError, match="could not write"):
        JsonlSink(make_settings(LOCAL_SINK_DIR=str(blocker / "sink"))).send([sleep_event()])


def test_files_rotate_by_size_and_sorted_names_keep_the_order_written(tmp_path):
    sink = JsonlSink(make_settings(LOCAL_SINK_DIR=str(tmp_path), LOCAL_SINK_ROTATE_BYTES="2000"))
    sent = [heart_rate(20) for _ in range(1)] + [weight() for _ in range(1)]
    for _ in range(6):
        sink.send(sent)
    files = sorted(tmp_path.glob("datastreams*.jsonl"))
    assert [f.name for f in files][-1] == "datastreams.jsonl" and len(files) > 2
    assert all(f.stat().st_size <= 2000 or len(f.read_text().splitlines()) == 1 for f in files)
    ids = [line["record_id"] for f in files for line in _lines(f)]
    assert ids == [record_id(r) for _ in range(6) for r in sent]  # every line, once, in the order sent
