"""Extension records a deployment has not enabled are counted, not sent."""

from __future__ import annotations

import json
from dataclasses import replace

from shared.contract.extensions import parse_extensions
from shared.sink.jsonl import JsonlSink
from shared.sink.withhold import WithholdingSink
from tests.contract.samples import DS, heart_rate, sleep_event
from tests.sink.fakes import make_settings


def _sent(path):
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [json.loads(line)["body"].get("streamName") or json.loads(line)["body"]["event_type"] for line in lines]


def test_disabled_extensions_are_counted_and_the_rest_is_sent(tmp_path, caplog):
    sink = WithholdingSink(JsonlSink(make_settings(LOCAL_SINK_DIR=str(tmp_path))), parse_extensions("none"))
    score = replace(heart_rate(2), stream_name=DS + "sleep_score", unit="score")
    caplog.set_level("INFO")
    sink.send([sleep_event(), heart_rate(3), score, score])
    assert _sent(tmp_path / "datastreams.jsonl") == [DS + "heartrate"]
    assert _sent(tmp_path / "events.jsonl") == []
    assert dict(sink.withheld) == {DS + "sleep_score": 2, sleep_event().event_type: 1}
    assert "withheld 2 records of " + DS + "sleep_score" in caplog.text


def test_enabled_extensions_are_sent(tmp_path):
    sink = WithholdingSink(JsonlSink(make_settings(LOCAL_SINK_DIR=str(tmp_path))),
                           parse_extensions("com.personicle.individual.events.sleep"))
    sink.send([sleep_event()])
    assert _sent(tmp_path / "events.jsonl") == [sleep_event().event_type]
    assert not sink.withheld


def _one_of_each_kind():
    """Return one record of every stream (but location) and event type of the dictionary."""
    from datetime import timedelta

    from shared.contract.dictionary import load_dictionary
    from shared.contract.records import DatastreamPacket, Event, IntervalPoint, Point
    from tests.contract.samples import T0, USER

    dictionary = load_dictionary()
    records = [DatastreamPacket(entry.name, USER, "oura", entry.unit, None,
                                (IntervalPoint(T0, T0 + timedelta(minutes=1), 1) if entry.interval else Point(T0, 1),))
               for entry in dictionary.streams.values() if entry.value_type != "Json"]
    records += [Event(USER, T0, T0 + timedelta(hours=1), entry.name, entry.event_name, "oura", {"duration": 3600})
                for entry in dictionary.event_types.values()]
    return records


def test_with_default_settings_every_kind_sent_is_one_personicle_publishes(tmp_path):
    from shared.contract.dictionary import load_dictionary
    from shared.sink.factory import create_sink

    sink = create_sink(make_settings(SINK_KIND="jsonl", LOCAL_SINK_DIR=str(tmp_path)))
    records = _one_of_each_kind()
    sink.send(records)
    sent = _sent(tmp_path / "datastreams.jsonl") + _sent(tmp_path / "events.jsonl")
    dictionary = load_dictionary()
    assert sent and all(not dictionary.is_extension(name) for name in sent)
    assert len(sent) + sum(sink.withheld.values()) == len(records)
    assert set(sink.withheld) == set(dictionary.extensions())
