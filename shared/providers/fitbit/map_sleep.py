"""Google Health `sleep` data points -> one sleep event per session plus one event per stage (pure).

Shape: docs/providers/fitbit.md 4.2 (sleep) and the example in 4.3. Summary counts are
int64 strings in minutes; absent booleans are false; `summary` is read-only and may be missing
(then it is derived from the stages). Short awakenings overlap stages, so they are counted, not
emitted. Out-of-bed segments become `sleep.stage.out_of_bed` events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from shared.contract.records import EVENT_PREFIX, Event
from shared.providers.fitbit.map_values import device_name, int64, resource_id, timestamp, utc_offset

SLEEP_TYPE = EVENT_PREFIX + "sleep"
STAGE_TYPES = {
    "AWAKE": (EVENT_PREFIX + "sleep.stage.awake", "Awake"),
    "LIGHT": (EVENT_PREFIX + "sleep.stage.light", "Light sleep"),
    "DEEP": (EVENT_PREFIX + "sleep.stage.deep", "Deep sleep"),
    "REM": (EVENT_PREFIX + "sleep.stage.rem", "REM sleep"),
    "ASLEEP": (EVENT_PREFIX + "sleep.stage.asleep", "Asleep"),
    "RESTLESS": (EVENT_PREFIX + "sleep.stage.restless", "Restless"),
}
OUT_OF_BED = (EVENT_PREFIX + "sleep.stage.out_of_bed", "Out of bed")
_STAGE_PARAMETERS = {"LIGHT": "light_sleep_duration", "DEEP": "deep_sleep_duration", "REM": "rem_sleep_duration",
                     "RESTLESS": "restless_duration"}
_NOT_ASLEEP = frozenset({"AWAKE", "RESTLESS"})  # minutesAsleep counts neither (docs/providers/fitbit.md 4.2)


def sleep_end(point: Mapping[str, Any]) -> datetime | None:
    """Return the end of a sleep data point's session (what sleep filters and windows use)."""
    sleep = point.get("sleep")
    interval = sleep.get("interval") if isinstance(sleep, Mapping) else None
    return timestamp(interval.get("endTime")) if isinstance(interval, Mapping) else None


def map_sleep(points: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Event]:
    """Return the events of every readable sleep session in `points`, sessions in the order given."""
    events: list[Event] = []
    for point in points:
        events.extend(_session_events(point, individual_id, source))
    return events


def _session_events(point: Mapping[str, Any], individual_id: str, source: str) -> list[Event]:
    sleep = point.get("sleep")
    interval = sleep.get("interval") if isinstance(sleep, Mapping) else None
    if not isinstance(sleep, Mapping) or not isinstance(interval, Mapping):
        return []
    start, end = timestamp(interval.get("startTime")), timestamp(interval.get("endTime"))
    if start is None or end is None or end <= start:
        return []
    record_id = resource_id(point)
    common: dict[str, Any] = {}
    if record_id is not None:
        common["provider_record_id"] = record_id
    device = device_name(point)
    if device is not None:
        common["source_device"] = device
    stages = _segments(sleep.get("stages"))
    parameters = {"duration": _seconds(start, end), **_offsets(interval), **common,
                  **_summary(sleep, stages, start, end)}
    events = [Event(individual_id, start, end, SLEEP_TYPE, "Sleep", source, parameters)]
    for stage_start, stage_end, kind, offset in stages:
        found = STAGE_TYPES.get(kind)
        if found is not None:
            events.append(_stage(individual_id, source, stage_start, stage_end, found, offset, common))
    for seg_start, seg_end, _, offset in _segments(sleep.get("outOfBedSegments")):
        events.append(_stage(individual_id, source, seg_start, seg_end, OUT_OF_BED, offset, common))
    return events


def _stage(individual_id: str, source: str, start: datetime, end: datetime, kind: tuple[str, str],
           offset: str | None, common: Mapping[str, Any]) -> Event:
    parameters: dict[str, Any] = {"duration": _seconds(start, end), **common}
    if offset is not None:
        parameters["utc_offset"] = offset
    return Event(individual_id, start, end, kind[0], kind[1], source, parameters)


def _segments(value: Any) -> list[tuple[datetime, datetime, str, str | None]]:
    """Return readable (start, end, type, offset) segments sorted by start."""
    out = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, Mapping):
            continue
        start, end = timestamp(item.get("startTime")), timestamp(item.get("endTime"))
        if start is None or end is None or end <= start:
            continue
        kind = item.get("type")
        out.append((start, end, kind if isinstance(kind, str) else "", utc_offset(item.get("startUtcOffset"))))
    out.sort(key=lambda segment: (segment[0], segment[1]))
    return out


def _offsets(interval: Mapping[str, Any]) -> dict[str, str]:
    out = {}
    start = utc_offset(interval.get("startUtcOffset"))
    end = utc_offset(interval.get("endUtcOffset"))
    if start is not None:
        out["utc_offset"] = start
    if end is not None and end != start:
        out["end_utc_offset"] = end  # the night crossed a DST change or a time-zone change
    return out


def _summary(sleep: Mapping[str, Any], stages: list[tuple[datetime, datetime, str, str | None]],
             start: datetime, end: datetime) -> dict[str, Any]:
    """Return the summary parameters, from `summary` when present, else derived from the stages."""
    metadata = sleep.get("metadata") if isinstance(sleep.get("metadata"), Mapping) else {}
    summary = sleep.get("summary") if isinstance(sleep.get("summary"), Mapping) else {}
    out: dict[str, Any] = {"main_sleep": metadata.get("mainSleep") is True}
    out["sleep_type"] = "nap" if metadata.get("nap") is True else "main_sleep" if out["main_sleep"] else "sleep"
    for field, name in (("type", "stages_type"), ("stagesStatus", "stages_status")):
        text = sleep.get(field) if field == "type" else metadata.get(field)
        if isinstance(text, str) and text:
            out[name] = text
    out["processed"] = metadata.get("processed") is True
    by_stage = _stage_minutes(summary.get("stagesSummary"), stages)
    in_period = _minutes(summary, "minutesInSleepPeriod")
    time_in_bed = in_period * 60 if in_period is not None else _seconds(start, end)
    asleep = _minutes(summary, "minutesAsleep")
    awake = _minutes(summary, "minutesAwake")
    if asleep is None and by_stage:
        asleep = sum(minutes for kind, minutes in by_stage.items() if kind not in _NOT_ASLEEP)
    if awake is None and by_stage:
        awake = by_stage.get("AWAKE", 0)
    out["time_in_bed"] = time_in_bed
    if asleep is not None:
        out["asleep_duration"] = asleep * 60
        if time_in_bed > 0:
            out["efficiency"] = round(100.0 * asleep * 60 / time_in_bed, 1)
    if awake is not None:
        out["awake_duration"] = awake * 60
    for field, name in (("minutesToFallAsleep", "latency"), ("minutesAfterWakeUp", "after_wakeup_duration")):
        minutes = _minutes(summary, field)
        if minutes is not None:
            out[name] = minutes * 60
    for kind, name in _STAGE_PARAMETERS.items():
        if kind in by_stage:
            out[name] = by_stage[kind] * 60
    awakenings = sleep.get("shortAwakenings")
    if isinstance(awakenings, list) and awakenings:
        out["short_awakenings"] = len(awakenings)
    return out


def _stage_minutes(value: Any, stages: list[tuple[datetime, datetime, str, str | None]]) -> dict[str, int]:
    """Return minutes per stage type from `stagesSummary`, else summed from the stages."""
    out: dict[str, int] = {}
    if isinstance(value, list) and value:
        for item in value:
            if isinstance(item, Mapping) and isinstance(item.get("type"), str):
                out[item["type"]] = out.get(item["type"], 0) + (int64(item.get("minutes"), 0) or 0)
        return out
    for start, end, kind, _ in stages:
        out[kind] = out.get(kind, 0) + _seconds(start, end) // 60
    return out


def _minutes(summary: Mapping[str, Any], field: str) -> int | None:
    """Return a summary count; proto3 omits zeros, so an absent count in a present summary is 0."""
    if not summary:
        return None
    return int64(summary.get(field), 0)


def _seconds(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds())
