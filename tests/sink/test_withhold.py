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
