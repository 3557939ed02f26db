"""The shared wearer in Withings' shapes: measure groups, daily activities, workouts, sleep summaries.

Reference: docs/providers/withings.md 4, 9. Rows
carry `modified` a little after the data was measured; `date` of a sleep summary is the local
date of its end. Weigh-ins of a smart scale have body composition (with a whole-body duplicate
and a segmental measure, as Body Scan answers do); manual weigh-ins have weight only, no model.
Some mornings have a blood-pressure reading (types 9, 10, 11) and a temperature.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from devtools.sandbox.wearer.clock import person_zone
from devtools.sandbox.wearer.days import day_minutes, day_plan, rng
from devtools.sandbox.wearer.profiles import UTC, Profile

SYNC_DELAY = 90
WORKOUT_CODES = {"RUNNING": 2, "WALKING": 1, "HIKING": 3, "OUTDOOR_BIKE": 6, "SWIMMING_POOL": 7,
                 "WEIGHTLIFTING": 16, "STRENGTH_TRAINING": 17, "YOGA": 28, "HIIT": 550}
OTHER = 36
SCALE = {"modelid": 7, "model": "Body Scan", "deviceid": "aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00"}
BPM = {"modelid": 45, "model": "BPM Connect", "deviceid": "bb11cc22dd33ee44ff55aa66bb77cc88dd99ee00"}
WATCH_MODEL, WATCH_DEVICE = 94, "cc11dd22ee33ff44aa55bb66cc77dd88ee99ff00"
STEPS_PER_FLOOR = 2000  # the wearer has no altimeter: a floor per 2,000 steps of a local day


def _measure(value: float, unit: int, kind: int, **extra: Any) -> dict[str, Any]:
    return {"value": int(round(value * 10 ** -unit)), "type": kind, "unit": unit, "algo": 0, "fm": 3, **extra}


def _group(grpid: int, at: int, attrib: int, measures: list[dict[str, Any]], device: dict[str, Any] | None
           ) -> dict[str, Any]:
    device = device or {"modelid": None, "model": None, "deviceid": None}
    return {"grpid": grpid, "attrib": attrib, "date": at, "created": at + SYNC_DELAY, "modified": at + SYNC_DELAY,
            "category": 1, "deviceid": device["deviceid"], "hash_deviceid": device["deviceid"],
            "measures": measures, "modelid": device["modelid"], "model": device["model"], "comment": None}


@functools.lru_cache(maxsize=4096)
def measure_groups(profile: Profile, day: date) -> tuple[dict[str, Any], ...]:
    """Return the measure groups of a person-day (a weigh-in, some mornings blood pressure)."""
    plan = day_plan(profile, day)
    zone = ZoneInfo(plan.zone)
    base = day.toordinal() * 10 + profile.seed % 7
    groups = []
    if plan.weigh_in is not None:
        kg = plan.weight_grams / 1000
        if profile.manual_weight:
            groups.append(_group(base, plan.weigh_in, 2, [_measure(kg, -2, 1)], None))
        else:
            fat = plan.body_fat_percent or profile.body_fat_percent
            fat_kg, lean = kg * fat / 100, kg * (1 - fat / 100)
            lean_item = _measure(lean, -3, 5, position=7)
            groups.append(_group(base, plan.weigh_in, 0, [
                _measure(kg, -3, 1), _measure(fat, -3, 6), _measure(fat_kg, -3, 8), lean_item, dict(lean_item),
                _measure(lean * 0.93, -3, 76), _measure(lean * 0.72, -3, 77), _measure(lean * 0.05, -3, 88),
                _measure(fat_kg * 0.3, -3, 174, position=12)], SCALE))
    r = rng(profile, "withings-bp", day.toordinal())
    if r.random() < 0.3:
        at = int(datetime(day.year, day.month, day.day, 8, r.randint(0, 50), tzinfo=zone).timestamp())
        groups.append(_group(base + 1, at, 0, [
            _measure(76 + r.randint(-6, 8), 0, 9), _measure(121 + r.randint(-8, 12), 0, 10),
            _measure(plan.resting_heart_rate + r.randint(4, 12), 0, 11)], BPM))
        if r.random() < 0.5:
            groups.append(_group(base + 2, at + 120, 2, [_measure(36.4 + r.random() * 0.6, -2, 71)], None))
    return tuple(groups)


def _day_span(day: date, zone: ZoneInfo) -> tuple[int, int]:
    following = day + timedelta(days=1)
    return (int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp()),
            int(datetime(following.year, following.month, following.day, tzinfo=zone).timestamp()))


@dataclass(frozen=True)
class Minute:
    """One minute of a local day as the watch saw it (heart rate 0: not worn)."""

    at: int
    steps: int
    distance_mm: int
    active_kcal: float
    heart_rate: int
    asleep: bool


@functools.lru_cache(maxsize=8)
def local_minutes(profile: Profile, day: date) -> tuple[ZoneInfo, tuple[Minute, ...]]:
    """Return the zone of a local day and its minutes, from local midnight to the next (the wearer's minutes)."""
    zone = person_zone(profile, day)
    first, last = _day_span(day, zone)
    out = []
    for at in range(first, last, 60):
        grid = day_minutes(profile, datetime.fromtimestamp(at, UTC).date())
        index = (at - grid.start) // 60
        out.append(Minute(at, grid.steps[index], grid.distance_mm[index], grid.active_kcal[index],
                          grid.heart_rate[index] if grid.worn[index] else 0, grid.asleep[index]))
    return zone, tuple(out)


@functools.lru_cache(maxsize=1024)
def activity(profile: Profile, day: date) -> dict[str, Any]:
    """Return the daily activity row of a local day (summed from the wearer's minutes)."""
    zone, minutes = local_minutes(profile, day)
    steps = sum(m.steps for m in minutes)
    distance = sum(m.distance_mm for m in minutes)
    kcal = sum(m.active_kcal for m in minutes)
    heart = [m.heart_rate for m in minutes if m.heart_rate]
    soft = sum(60 for m in minutes if m.heart_rate and 0 < m.steps < 60)
    moderate = sum(60 for m in minutes if m.heart_rate and 60 <= m.steps < 110)
    intense = sum(60 for m in minutes if m.heart_rate and m.steps >= 110)
    total = kcal + profile.bmr_kcal_per_minute * len(minutes)
    return {"date": day.isoformat(), "timezone": zone.key, "deviceid": WATCH_DEVICE, "hash_deviceid": WATCH_DEVICE,
            "brand": 1, "is_tracker": True, "modified": minutes[-1].at + 60 + 3600, "model": "ScanWatch 2",
            "modelid": WATCH_MODEL, "steps": steps, "distance": round(distance / 1000, 1),
            "elevation": steps // STEPS_PER_FLOOR, "soft": soft, "moderate": moderate, "intense": intense,
            "active": moderate + intense, "calories": round(kcal, 1), "totalcalories": round(total, 1),
            "hr_average": round(sum(heart) / len(heart)) if heart else 0, "hr_min": min(heart) if heart else 0,
            "hr_max": max(heart) if heart else 0}


def workout(profile: Profile, day: date) -> dict[str, Any] | None:
    """Return the workout row of a person-day, if it has one."""
    plan = day_plan(profile, day)
    session = plan.workout
    if session is None:
        return None
    kind = session.kind
    seconds = session.end - session.start
    steps = kind.cadence * seconds // 60 if kind.cadence else 0
    distance = (steps * profile.height_m * kind.stride_per_height if kind.cadence
                else kind.speed_mm_s * seconds / 1000)
    local_day = datetime.fromtimestamp(session.start, ZoneInfo(plan.zone)).date()
    return {"id": day.toordinal() * 100 + profile.seed % 97,
            "category": WORKOUT_CODES.get(session.exercise_type, OTHER),
            "timezone": plan.zone, "model": WATCH_MODEL, "attrib": 0, "startdate": session.start,
            "enddate": session.end, "date": local_day.isoformat(),
            "deviceid": WATCH_DEVICE, "hash_deviceid": WATCH_DEVICE, "modified": session.end + SYNC_DELAY,
            "data": {"calories": round(kind.met * profile.weight_kg * 3.5 / 200 * seconds / 60, 1),
                     "intensity": 50, "manual_intensity": 0, "manual_distance": 0, "manual_calories": 0,
                     "hr_average": session.heart_rate, "hr_min": session.heart_rate - 25,
                     "hr_max": session.heart_rate + 12, "pause_duration": session.pause[1] - session.pause[0],
                     "algo_pause_duration": None, "spo2_average": None, "steps": steps,
                     "distance": round(distance, 1), "elevation": 0}}


def sleep_summary(profile: Profile, day: date) -> dict[str, Any]:
    """Return the sleep summary row of the night that starts on a person-day."""
    plan = day_plan(profile, day)
    night = plan.sleep
    totals: dict[str, int] = {}
    for stage in night.stages:
        totals[stage.kind] = totals.get(stage.kind, 0) + stage.end - stage.start
    asleep = totals.get("LIGHT", 0) + totals.get("DEEP", 0) + totals.get("REM", 0)
    in_bed = night.end - night.start
    latency = next((s.start - night.start for s in night.stages if s.kind != "AWAKE"), 0)
    zone = ZoneInfo(plan.zone)
    r = rng(profile, "withings-sleep", day.toordinal())
    return {"id": day.toordinal() * 1000 + profile.seed % 997, "timezone": plan.zone, "model": 16, "model_id": 93,
            "hash_deviceid": WATCH_DEVICE, "startdate": night.start, "enddate": night.end,
            "date": datetime.fromtimestamp(night.end, zone).date().isoformat(),
            "created": night.end + 600, "modified": night.end + 600, "completed": True,
            "data": {"total_timeinbed": in_bed, "total_sleep_time": asleep,
                     "lightsleepduration": totals.get("LIGHT", 0),
                     "deepsleepduration": totals.get("DEEP", 0), "remsleepduration": totals.get("REM", 0),
                     "wakeupduration": totals.get("AWAKE", 0), "sleep_efficiency": round(asleep / in_bed, 2),
                     "sleep_latency": latency, "wakeup_latency": 300, "waso": totals.get("AWAKE", 0),
                     "wakeupcount": sum(1 for s in night.stages if s.kind == "AWAKE"),
                     "hr_average": plan.resting_heart_rate - 3, "hr_min": plan.resting_heart_rate - 8,
                     "hr_max": plan.resting_heart_rate + 14, "rr_average": round(night.breaths_per_minute),
                     "sleep_score": 60 + r.randint(0, 35)}}


STATES = {"AWAKE": 0, "LIGHT": 1, "DEEP": 2, "REM": 3, "OUT_OF_BED": 15}


def sleep_segments(profile: Profile, day: date) -> list[dict[str, Any]]:
    """Return the sleep `get` segments of the night that starts on a person-day (minute hr, 5-minute rr)."""
    night = day_plan(profile, day).sleep
    out = []
    for stage in night.stages:
        heart, breath = {}, {}
        at = stage.start - stage.start % 60
        while at < stage.end:
            grid = day_minutes(profile, datetime.fromtimestamp(at, UTC).date())
            bpm = grid.heart_rate[(at - grid.start) // 60]
            if at >= stage.start and bpm:
                heart[str(at)] = bpm
                if at % 300 == 0:
                    breath[str(at)] = round(night.breaths_per_minute)
            at += 60
        out.append({"startdate": stage.start, "enddate": stage.end, "state": STATES.get(stage.kind, 5),
                    "model": "ScanWatch", "model_id": 93, "hash_deviceid": WATCH_DEVICE, "hr": heart, "rr": breath})
    return out
