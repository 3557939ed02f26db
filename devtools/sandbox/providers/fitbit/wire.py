"""Synthetic records -> Google Health JSON in the live shapes (docs/providers/fitbit.md 3.2, 4.2, 4.3).

int64 values are strings, zero values and false booleans are omitted (proto3), interval and sample
types carry civil times, sleep and exercise intervals do not. `list` items carry `dataSource` and,
for identifiable types, `name`; `reconcile` items carry `dataPointName` and no `dataSource`.
"""

from __future__ import annotations

import functools
import hashlib
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from devtools.sandbox.providers.fitbit.accounts import health_user_id
from devtools.sandbox.providers.fitbit.records import MANUAL, PHONE, SCALE, Record
from devtools.sandbox.providers.fitbit.types import HealthType
from devtools.sandbox.wearer.clock import utc_day
from devtools.sandbox.wearer.days import ZONE_NAMES, SleepSession, day_minutes
from devtools.sandbox.wearer.profiles import Profile
from devtools.sandbox.wearer.workouts import Workout

_DERIVED = frozenset({"sleep", "daily-resting-heart-rate", "active-energy-burned", "heart-rate-variability",
                      "respiratory-rate-sleep-summary"})
_PROCESSING_SECONDS = 3 * 3600


@dataclass(frozen=True)
class WireOptions:
    """Shape choices: listing (list vs reconcile), true-zero form, NaN share, the current time."""

    listing: bool
    zero_as_string: bool
    nan_per_mille: int
    now: int


@functools.lru_cache(maxsize=4096)
def _minute_text(minute: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:", time.gmtime(minute * 60))


def rfc3339(epoch: int) -> str:
    """Return an epoch second as `YYYY-MM-DDTHH:MM:SSZ`."""
    minute, second = divmod(epoch, 60)
    return f"{_minute_text(minute)}{second:02d}Z"


@functools.lru_cache(maxsize=8192)
def _civil_minute(local_minute: int) -> tuple[dict[str, int], int, int]:
    day = date.fromordinal(local_minute // 1440 + 719163)
    return date_json(day), local_minute // 60 % 24, local_minute % 60


def civil(epoch: int, offset: int) -> dict[str, Any]:
    """Return the CivilDateTime of an instant at an offset, zero members omitted."""
    local = epoch + offset
    day, hours, minutes = _civil_minute(local // 60)
    clock: dict[str, int] = {}
    if hours:
        clock["hours"] = hours
    if minutes:
        clock["minutes"] = minutes
    if local % 60:
        clock["seconds"] = local % 60
    return {"date": day, "time": clock}


def date_json(day: date) -> dict[str, int]:
    """Return a `Date` message."""
    return {"year": day.year, "month": day.month, "day": day.day}


def point_id(profile: Profile, path_id: str, key: int, source: int) -> str:
    """Return a stable 19-digit data point id: key (10 digits), source (1), a check part (8)."""
    digest = hashlib.sha256(f"{profile.seed}:{path_id}:{key}:{source}".encode()).digest()
    return f"{key:010d}{source}{int.from_bytes(digest[:4], 'big') % 10**8:08d}"


def parse_point_id(text: str) -> tuple[int, int] | None:
    """Return (key, source) of an id made by `point_id`, or None."""
    if len(text) != 19 or not text.isdigit():
        return None
    return int(text[:10]), int(text[10])


def data_source(profile: Profile, path_id: str, source: int) -> dict[str, Any]:
    """Return the `dataSource` of a record from `source`."""
    if source == MANUAL:
        return {"recordingMethod": "MANUAL", "platform": "FITBIT"}
    if source == SCALE:
        return {"recordingMethod": "PASSIVELY_MEASURED", "device": {"formFactor": "SCALE", "displayName": "Aria Air"},
                "platform": "FITBIT"}
    method = ("ACTIVELY_MEASURED" if path_id == "exercise" else "DERIVED" if path_id in _DERIVED
              else "PASSIVELY_MEASURED")
    if source == PHONE:
        return {"recordingMethod": method,
                "device": {"formFactor": "PHONE", "manufacturer": "Google", "displayName": profile.phone},
                "platform": "HEALTH_CONNECT", "application": {"packageName": "com.google.android.apps.fitness"}}
    return {"recordingMethod": method, "device": {"displayName": profile.watch}, "platform": "FITBIT"}


def to_json(profile: Profile, kind: HealthType, record: Record, options: WireOptions) -> dict[str, Any]:
    """Return one data point as `list` (options.listing) or `reconcile` returns it."""
    key, source, end, value = record
    out: dict[str, Any] = {}
    if kind.identifiable:
        name = f"users/{health_user_id(profile.user, profile.seed)}/dataTypes/{kind.path_id}/dataPoints/" + \
            point_id(profile, kind.path_id, key, source)
        out["dataPointName" if not options.listing else "name"] = name
    if options.listing:
        out["dataSource"] = data_source(profile, kind.path_id, source)
    out[kind.json_key] = _VALUES[kind.path_id](profile, record, options)
    return out


def _interval(profile: Profile, start: int, end: int, with_civil: bool = True) -> dict[str, Any]:
    first, last = profile.offset_seconds(start), profile.offset_seconds(end)
    out: dict[str, Any] = {"startTime": rfc3339(start), "startUtcOffset": f"{first}s",
                           "endTime": rfc3339(end), "endUtcOffset": f"{last}s"}
    if with_civil:
        out["civilStartTime"] = civil(start, first)
        out["civilEndTime"] = civil(end, last)
    return out


def _sample(profile: Profile, at: int) -> dict[str, Any]:
    offset = profile.offset_seconds(at)
    return {"physicalTime": rfc3339(at), "utcOffset": f"{offset}s", "civilTime": civil(at, offset)}


def _count(field: str):
    def value(profile: Profile, record: Record, options: WireOptions) -> dict[str, Any]:
        out: dict[str, Any] = {"interval": _interval(profile, record[0], record[2])}
        if record[3] or options.zero_as_string:
            out[field] = str(record[3])
        return out
    return value


def _energy(profile: Profile, record: Record, options: WireOptions) -> dict[str, Any]:
    out: dict[str, Any] = {"interval": _interval(profile, record[0], record[2])}
    if record[3] or options.zero_as_string:
        out["kcal"] = record[3]
    return out


def _zone(profile: Profile, record: Record, options: WireOptions) -> dict[str, Any]:
    zone = record[3]
    return {"interval": _interval(profile, record[0], record[2]), "heartRateZone": ZONE_NAMES[zone],
            "activeZoneMinutes": "1" if zone == 1 else "2"}


def _heart(profile: Profile, record: Record, options: WireOptions) -> dict[str, Any]:
    out: dict[str, Any] = {"sampleTime": _sample(profile, record[0]), "beatsPerMinute": str(record[3])}
    if profile.heart_rate_step_seconds >= 60:
        out["metadata"] = {"motionContext": "ACTIVE" if record[3] > 100 else "SEDENTARY", "sensorLocation": "WRIST"}
    return out


def _variability(profile: Profile, record: Record, options: WireOptions) -> dict[str, Any]:
    nan = record[0] // 300 % 1000 < options.nan_per_mille
    return {"sampleTime": _sample(profile, record[0]),
            "rootMeanSquareOfSuccessiveDifferencesMilliseconds": "NaN" if nan else record[3],
            "standardDeviationMilliseconds": round(record[3] * 1.3, 2)}


def _number(field: str):
    def value(profile: Profile, record: Record, options: WireOptions) -> dict[str, Any]:
        number = record[3]
        return {"sampleTime": _sample(profile, record[0]),
                field: int(number) if float(number).is_integer() else number}
    return value


def _breathing(profile: Profile, record: Record, options: WireOptions) -> dict[str, Any]:
    rate = record[3]
    return {"sampleTime": _sample(profile, record[0]),
            "fullSleepStats": {"breathsPerMinute": rate, "signalToNoise": 2.4, "standardDeviation": 0.9},
            "deepSleepStats": {"breathsPerMinute": round(rate - 0.7, 1)},
            "lightSleepStats": {"breathsPerMinute": round(rate + 0.2, 1)},
            "remSleepStats": {"breathsPerMinute": round(rate + 0.9, 1)}}


def _resting(profile: Profile, record: Record, options: WireOptions) -> dict[str, Any]:
    day, bpm = record[3]
    return {"date": date_json(day), "beatsPerMinute": str(bpm),
            "dailyRestingHeartRateMetadata": {"calculationMethod": "WITH_SLEEP"}}


def _stage(profile: Profile, start: int, end: int, kind: str) -> dict[str, Any]:
    return {**_interval(profile, start, end, with_civil=False), "type": kind}


def _sleep(profile: Profile, record: Record, options: WireOptions) -> dict[str, Any]:
    session: SleepSession = record[3]
    created = session.end + 1200
    out: dict[str, Any] = {"interval": _interval(profile, session.start, session.end, with_civil=False),
                           "type": "CLASSIC" if session.classic else "STAGES"}
    if session.end + _PROCESSING_SECONDS > options.now:  # detected, stages still being computed
        out["metadata"] = {"nap": True} if session.nap else {"mainSleep": True}
        out["createTime"] = out["updateTime"] = rfc3339(created)
        return out
    out["stages"] = [_stage(profile, s.start, s.end, s.kind) for s in session.stages]
    metadata: dict[str, Any] = {"stagesStatus": "REJECTED_NAP" if session.nap else "SUCCEEDED", "processed": True}
    metadata["nap" if session.nap else "mainSleep"] = True
    out["metadata"] = metadata
    out["summary"] = _sleep_summary(session)
    out["createTime"] = rfc3339(created)
    out["updateTime"] = rfc3339(session.end + _PROCESSING_SECONDS - 600)
    if session.short_awakenings:
        out["shortAwakenings"] = [_stage(profile, s.start, s.end, s.kind) for s in session.short_awakenings]
    return out


def _sleep_summary(session: SleepSession) -> dict[str, Any]:
    minutes: dict[str, int] = {}
    counts: dict[str, int] = {}
    for stage in session.stages:
        minutes[stage.kind] = minutes.get(stage.kind, 0) + (stage.end - stage.start) // 60
        counts[stage.kind] = counts.get(stage.kind, 0) + 1
    total = (session.end - session.start) // 60
    awake = minutes.get("AWAKE", 0)
    first = session.stages[0]
    summary = {"minutesInSleepPeriod": str(total), "minutesAsleep": str(total - awake),
               "minutesAwake": str(awake),
               "minutesToFallAsleep": str((first.end - first.start) // 60 if first.kind == "AWAKE" else 0),
               "stagesSummary": [{"type": kind, "minutes": str(value), "count": str(counts[kind])}
                                 for kind, value in minutes.items()]}
    return {key: value for key, value in summary.items() if value not in ("0", [])}


def _exercise(profile: Profile, record: Record, options: WireOptions) -> dict[str, Any]:
    workout: Workout = record[3]
    start, end = record[0], record[2]
    pause = workout.pause[1] - workout.pause[0]
    events = [(start, "START"), (end, "STOP")]
    if pause:
        events[1:1] = [(workout.pause[0], "PAUSE"), (workout.pause[1], "RESUME")]
    outdoor = workout.exercise_type in ("RUNNING", "WALKING", "HIKING", "OUTDOOR_BIKE")
    return {"interval": _interval(profile, start, end, with_civil=False),
            "exerciseType": workout.exercise_type, "displayName": workout.kind.display,
            "activeDuration": f"{end - start - pause}s",
            "metricsSummary": _metrics(profile, start, end),
            "exerciseEvents": [{"eventTime": rfc3339(at), "eventUtcOffset": f"{profile.offset_seconds(at)}s",
                                "exerciseEventType": kind} for at, kind in events],
            "exerciseMetadata": {"hasGps": True} if outdoor else {},
            "createTime": rfc3339(end + 300), "updateTime": rfc3339(end + 300)}


def _metrics(profile: Profile, start: int, end: int) -> dict[str, Any]:
    """Return the session summary summed from the wear minutes it spans."""
    steps = millimeters = zone_minutes = 0
    kcal, beats, worn = 0.0, 0, 0
    for minute in range(start // 60, -(-end // 60)):
        minutes = day_minutes(profile, utc_day(minute * 60))
        index = (minute * 60 - minutes.start) // 60
        if not minutes.worn[index]:
            continue
        worn += 1
        steps += minutes.steps[index]
        millimeters += minutes.distance_mm[index]
        kcal += minutes.active_kcal[index] + profile.bmr_kcal_per_minute
        beats += minutes.heart_rate[index]
        zone_minutes += (0, 1, 2, 2)[minutes.zone[index]]
    out: dict[str, Any] = {"caloriesKcal": round(kcal, 1)}
    if millimeters:
        out["distanceMillimeters"] = float(millimeters)
    if steps:
        out["steps"] = str(steps)
    if worn:
        out["averageHeartRateBeatsPerMinute"] = str(round(beats / worn))
    if zone_minutes:
        out["activeZoneMinutes"] = str(zone_minutes)
    return out


_VALUES = {
    "steps": _count("count"), "distance": _count("millimeters"), "active-energy-burned": _energy,
    "active-zone-minutes": _zone, "heart-rate": _heart, "heart-rate-variability": _variability,
    "oxygen-saturation": _number("percentage"), "respiratory-rate-sleep-summary": _breathing,
    "daily-resting-heart-rate": _resting, "weight": _number("weightGrams"), "body-fat": _number("percentage"),
    "sleep": _sleep, "exercise": _exercise,
}
