"""Withings sleep `get` segments -> sleep-stage events and minute heart rate and breathing rate (pure).

Reference: docs/providers/withings.md 4.5. Live answers give `series` as a list of segments
`{startdate, enddate, state, hr?, rr?, snoring?}`; `hr` and `rr` map epoch-second strings to
values. States: 0 awake, 1 light, 2 deep, 3 REM, 15 out of bed; 4 (manual) and 5 (unspecified)
carry no stage. Snoring has no Personicle stream yet and is not mapped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from shared.contract.records import EVENT_PREFIX, Event, Point, Record
from shared.providers.withings.map_values import (
    Series,
    SeriesPoint,
    group,
    instant,
    mapping,
    packets,
    positive,
    series,
)

STAGES = {0: ("awake", "Awake"), 1: ("light", "Light sleep"), 2: ("deep", "Deep sleep"), 3: ("rem", "REM sleep"),
          15: ("out_of_bed", "Out of bed")}
HEART_RATE = series("heartrate", "bpm", integer=True)
BREATHING = series("respiratory_rate", "breaths_per_minute")
SAMPLES = (("hr", HEART_RATE), ("rr", BREATHING))
DATA_FIELDS = "hr,rr,snoring"


def segment_start(segment: Mapping[str, Any]) -> datetime | None:
    """Return a segment's start instant (what windows keep it by)."""
    return instant(segment.get("startdate"))


def _samples(value: Any, found: Series) -> Iterable[tuple[Series, SeriesPoint]]:
    for key, raw in mapping(value).items():
        at = instant(int(key)) if isinstance(key, str) and key.isdigit() else None
        number = found.value(positive(raw))
        if at is not None and number is not None:
            yield found, Point(at, number)


def map_sleep_series(segments: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Record]:
    """Return the stage events of the segments, then one packet per sample series (each instant once)."""
    events: list[Record] = []
    pairs: dict[tuple[str, datetime], tuple[Series, SeriesPoint]] = {}
    for segment in map(mapping, segments):
        start, end = segment_start(segment), instant(segment.get("enddate"))
        if start is None or end is None or end < start:
            continue
        stage = STAGES.get(segment.get("state"))  # type: ignore[arg-type]
        if stage is not None:
            events.append(Event(individual_id, start, end, f"{EVENT_PREFIX}sleep.stage.{stage[0]}", stage[1], source,
                                {"duration": int((end - start).total_seconds())}))
        for key, found in SAMPLES:
            for found_series, point in _samples(segment.get(key), found):
                key_ = (found_series.name, point.timestamp)  # type: ignore[union-attr]
                pairs.setdefault(key_, (found_series, point))
    return events + list(packets(group(pairs.values()), individual_id, source))
