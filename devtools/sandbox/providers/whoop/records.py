"""The shared wearer rendered as WHOOP v2 records: cycles, sleeps, recoveries, workouts (docs/providers/whoop.md 4).

A person-day's night starts its cycle: cycle d runs from the sleep onset of person-day d to the
one of d + 1 (the current cycle has no `end`). The recovery of cycle d is based on that night and
created 10 minutes after it ends. Naps and workouts belong to the cycle they start in. Cycle ids
are int64, sleep and workout ids UUIDs, derived from the user and the day so a re-read is equal.
Records that ended less than `pending_minutes` ago are `PENDING_SCORE` (no `score`); a small
share (`unscorable_share`) is `UNSCORABLE`. Nothing exists before it ended (a cycle: before it began).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from devtools.sandbox.providers.whoop.accounts import whoop_user_id
from devtools.sandbox.wearer.days import DayPlan, SleepSession, day_plan, rng
from devtools.sandbox.wearer.profiles import Profile
from devtools.sandbox.wearer.workouts import Workout

UTC = timezone.utc
_NAMESPACE = uuid.UUID("5b0c6a4e-2f47-4d7e-9a51-0c7d3e9f1a28")
SPORTS = {"RUNNING": "running", "TREADMILL_RUNNING": "running", "WALKING": "walking", "HIKING": "hiking/rucking",
          "OUTDOOR_BIKE": "cycling", "SWIMMING_POOL": "swimming", "YOGA": "yoga",
          "STRENGTH_TRAINING": "functional-fitness", "WEIGHTLIFTING": "weightlifting", "HIIT": "hiit",
          "DANCING": "dance", "KICKBOXING": "kickboxing"}
_OUTDOOR = ("RUNNING", "WALKING", "HIKING", "OUTDOOR_BIKE")


@dataclass(frozen=True)
class Rendering:
    """How records are drawn at a moment: the clock and the scoring switches."""

    now: int
    first_day: date
    pending_minutes: int
    unscorable_share: float
    zone_duration_v1_name: bool = False


@dataclass(frozen=True)
class Item:
    """One rendered record with the span WHOOP matches ranges against (end None: still open)."""

    start: int
    end: int | None
    body: dict[str, Any]


def timestamp(epoch: float) -> str:
    """Return an epoch second as WHOOP writes times: UTC, milliseconds, `Z`."""
    moment = datetime.fromtimestamp(epoch, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def offset_text(zone: str, epoch: int) -> str:
    """Return the member's `timezone_offset` at an instant (`+hh:mm`/`-hh:mm`)."""
    delta = ZoneInfo(zone).utcoffset(datetime.fromtimestamp(epoch, UTC)) or timedelta(0)
    seconds = int(delta.total_seconds())
    sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
    return f"{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def user_id(profile: Profile) -> int:
    """Return the member id of a sandbox user (a stable int even for a name that is not a valid user name)."""
    found = whoop_user_id(profile.user)
    return found if found is not None else 28400000 + profile.seed % 10000


def cycle_id(profile: Profile, day: date) -> int:
    """Return the int64 id of the cycle of a person-day."""
    return user_id(profile) * 1_000_000 + day.toordinal() - 700_000


def record_uuid(profile: Profile, kind: str, day: date) -> str:
    """Return the UUID of a sleep, nap or workout of a person-day."""
    return str(uuid.uuid5(_NAMESPACE, f"{profile.user}:{kind}:{day.toordinal()}"))


def _state(profile: Profile, kind: str, day: date, ended: int, how: Rendering) -> str:
    if ended > how.now - 60 * how.pending_minutes:
        return "PENDING_SCORE"
    if rng(profile, "whoop-unscorable", kind, day.toordinal()).random() < how.unscorable_share:
        return "UNSCORABLE"
    return "SCORED"


def _base(profile: Profile, start: int, end: int | None, zone: str, created: int) -> dict[str, Any]:
    body: dict[str, Any] = {"user_id": user_id(profile), "created_at": timestamp(created),
                            "updated_at": timestamp(created + 900), "start": timestamp(start)}
    if end is not None:
        body["end"] = timestamp(end)
    body["timezone_offset"] = offset_text(zone, start)
    return body


def _cycle_day(profile: Profile, epoch: int, near: date) -> date:
    """Return the person-day whose cycle holds `epoch` (its night starts at or before it)."""
    for day in (near + timedelta(days=1), near, near - timedelta(days=1), near - timedelta(days=2)):
        if day_plan(profile, day).sleep.start <= epoch:
            return day
    return near - timedelta(days=2)


def cycle(profile: Profile, day: date, how: Rendering) -> Item | None:
    """Return the cycle of a person-day, or None when it has not begun."""
    plan, following = day_plan(profile, day), day_plan(profile, day + timedelta(days=1))
    start = plan.sleep.start
    if start >= how.now:
        return None
    end = following.sleep.start if following.sleep.start <= how.now else None
    body = {"id": cycle_id(profile, day), **_base(profile, start, end, plan.zone, start + 60)}
    body["score_state"] = "SCORED" if end is None else _state(profile, "cycle", day, end, how)
    if body["score_state"] == "SCORED":
        r = rng(profile, "whoop-cycle", day.toordinal())
        minutes = ((end or how.now) - start) / 60
        workout = _day_workout(profile, day)
        extra_kcal = workout.kind.met * profile.weight_kg * (workout.end - workout.start) / 3600 if workout else 0.0
        kilojoule = (profile.bmr_kcal_per_minute * minutes * 1.25 + extra_kcal) * 4.184
        body["score"] = {"strain": round(min(20.9, 4.0 + r.uniform(0, 4) + (8 if workout else 0)), 6),
                         "kilojoule": round(kilojoule, 3),
                         "average_heart_rate": plan.resting_heart_rate + 14 + r.randint(0, 8),
                         "max_heart_rate": (workout.heart_rate + 12) if workout else plan.resting_heart_rate + 60}
    return Item(start, end, body)


def _day_workout(profile: Profile, day: date) -> Workout | None:
    """Return the workout that starts in the cycle of `day` (the next day's plan, when before its night)."""
    following = day_plan(profile, day + timedelta(days=1))
    candidates = (day_plan(profile, day).workout, following.workout)
    start, end = day_plan(profile, day).sleep.start, following.sleep.start
    return next((w for w in candidates if w is not None and start <= w.start < end), None)


def sleeps(profile: Profile, day: date, how: Rendering) -> Iterator[Item]:
    """Yield the night and the nap of a person-day that have ended."""
    plan = day_plan(profile, day)
    for kind, session in (("sleep", plan.sleep), ("nap", plan.nap)):
        if session is None or session.end > how.now:
            continue
        holder = _cycle_day(profile, session.start, day)
        body = {"id": record_uuid(profile, kind, day), "cycle_id": cycle_id(profile, holder),
                **_base(profile, session.start, session.end, plan.zone, session.end + 300), "nap": session.nap}
        body["score_state"] = _state(profile, kind, day, session.end, how)
        if body["score_state"] == "SCORED":
            body["score"] = _sleep_score(profile, plan, session, day)
        yield Item(session.start, session.end, body)


def _sleep_score(profile: Profile, plan: DayPlan, session: SleepSession, day: date) -> dict[str, Any]:
    totals: dict[str, int] = {}
    runs = {"REM": 0, "AWAKE": 0}
    for stage in session.stages:
        kind = {"ASLEEP": "LIGHT", "RESTLESS": "LIGHT", "OUT_OF_BED": "AWAKE"}.get(stage.kind, stage.kind)
        totals[kind] = totals.get(kind, 0) + (stage.end - stage.start) * 1000
        if kind in runs:
            runs[kind] += 1
    r = rng(profile, "whoop-sleep", day.toordinal(), session.nap)
    in_bed = (session.end - session.start) * 1000
    asleep = totals.get("LIGHT", 0) + totals.get("DEEP", 0) + totals.get("REM", 0)
    need = {"baseline_milli": 27_000_000 + (profile.seed % 9) * 100_000,
            "need_from_sleep_debt_milli": r.randint(0, 1_800_000),
            "need_from_recent_strain_milli": r.randint(0, 900_000),
            "need_from_recent_nap_milli": -r.randint(0, 600_000) if plan.nap else 0}
    score: dict[str, Any] = {
        "stage_summary": {"total_in_bed_time_milli": in_bed, "total_awake_time_milli": totals.get("AWAKE", 0),
                          "total_no_data_time_milli": 0, "total_light_sleep_time_milli": totals.get("LIGHT", 0),
                          "total_slow_wave_sleep_time_milli": totals.get("DEEP", 0),
                          "total_rem_sleep_time_milli": totals.get("REM", 0), "sleep_cycle_count": runs["REM"],
                          "disturbance_count": runs["AWAKE"] + len(session.short_awakenings)},
        "sleep_needed": need,
        "sleep_efficiency_percentage": round(100 * asleep / in_bed, 4) if in_bed else 0}
    if not session.nap:
        score["respiratory_rate"] = session.breaths_per_minute
        score["sleep_performance_percentage"] = min(100, round(100 * asleep / sum(need.values())))
        score["sleep_consistency_percentage"] = 60 + r.randint(0, 35)
    return score


def recovery(profile: Profile, day: date, how: Rendering) -> Item | None:
    """Return the recovery of a person-day's cycle (based on its night), or None before it exists."""
    plan = day_plan(profile, day)
    night = plan.sleep
    created = night.end + 600
    if created > how.now:
        return None
    body = {"cycle_id": cycle_id(profile, day), "sleep_id": record_uuid(profile, "sleep", day),
            "user_id": user_id(profile), "created_at": timestamp(created), "updated_at": timestamp(created + 900)}
    body["score_state"] = _state(profile, "recovery", day, created, how)
    if body["score_state"] == "SCORED":
        r = rng(profile, "whoop-recovery", day.toordinal())
        body["score"] = {"user_calibrating": day < how.first_day + timedelta(days=4),
                         "recovery_score": r.randint(18, 99), "resting_heart_rate": plan.resting_heart_rate,
                         "hrv_rmssd_milli": round(profile.hrv_ms * r.uniform(0.7, 1.3), 6),
                         "spo2_percentage": round(r.uniform(94.5, 98.5), 4),
                         "skin_temp_celsius": round(r.uniform(33.2, 34.9), 4)}
    # The sleep's span is what WHOOP matches a recovery's range against.
    return Item(night.start, night.end, body)


def workout(profile: Profile, day: date, how: Rendering) -> Item | None:
    """Return the workout of a person-day once it has ended."""
    plan = day_plan(profile, day)
    found = plan.workout
    if found is None or found.end > how.now:
        return None
    holder = _cycle_day(profile, found.start, day)
    body = {"id": record_uuid(profile, "workout", day),
            **_base(profile, found.start, found.end, plan.zone, found.end + 120),
            "sport_name": SPORTS.get(found.exercise_type, "activity")}
    del holder  # a v2 workout names no cycle
    body["score_state"] = _state(profile, "workout", day, found.end, how)
    if body["score_state"] == "SCORED":
        body["score"] = _workout_score(profile, found, day, how)
    return Item(found.start, found.end, body)


def _workout_score(profile: Profile, found: Workout, day: date, how: Rendering) -> dict[str, Any]:
    r = rng(profile, "whoop-workout", day.toordinal())
    seconds = found.end - found.start
    kind = found.kind
    shares = [0.05, 0.15, 0.35, 0.3, 0.15, 0.0]
    zones = [int(seconds * 1000 * share) for share in shares]
    zones[2] += seconds * 1000 - sum(zones)
    names = ("zero", "one", "two", "three", "four", "five")
    score: dict[str, Any] = {
        "strain": round(6 + r.uniform(0, 9), 6), "average_heart_rate": found.heart_rate,
        "max_heart_rate": found.heart_rate + 12 + r.randint(0, 8),
        "kilojoule": round(kind.met * profile.weight_kg * seconds / 3600 * 4.184, 6), "percent_recorded": 100,
        ("zone_duration" if how.zone_duration_v1_name else "zone_durations"):
            {f"zone_{name}_milli": value for name, value in zip(names, zones)}}
    if found.exercise_type in _OUTDOOR:
        speed = kind.speed_mm_s / 1000 if kind.speed_mm_s else kind.cadence * kind.stride_per_height * profile.height_m / 60
        score["distance_meter"] = round(speed * seconds, 6)
        score["altitude_gain_meter"] = round(r.uniform(5, 120), 6)
        score["altitude_change_meter"] = round(r.uniform(-5, 5), 6)
    return score
