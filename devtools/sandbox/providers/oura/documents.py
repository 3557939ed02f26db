"""Person-days -> Oura API v2 documents, shaped as docs/providers/oura.md 4.2-4.13 and 5.2-5.4.

Local date-times carry the user's offset at that instant (so a trip or a DST change shows in the
offsets); sample timestamps carry milliseconds, top-level ones do not. Ids are derived from the
user and the document's key, so re-reads return identical documents.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from devtools.sandbox.providers.oura.days import MINUTES, activity_day, scores
from devtools.sandbox.providers.oura.knobs import OuraKnobs
from devtools.sandbox.providers.oura.plan import SLOT, Period, Session, Workout, person_day, rng
from devtools.sandbox.wearer.clock import local_epoch
from devtools.sandbox.wearer.clock import person_zone as zone_of
from devtools.sandbox.wearer.profiles import Profile

_MOVEMENT_AWAKE = "2334"
_INACTIVE_HOUR = re.compile("2{12,}")


def local_iso(profile: Profile, epoch: int, *, millis: bool = False) -> str:
    """Return an epoch second as the user's local ISO time with its offset."""
    zone = timezone(timedelta(seconds=profile.offset_seconds(epoch)))
    moment = datetime.fromtimestamp(epoch, zone)
    return moment.isoformat(timespec="milliseconds") if millis else moment.isoformat()


def utc_iso(epoch: int) -> str:
    """Return an epoch second as `YYYY-MM-DDTHH:MM:SS+00:00`."""
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat()


def document_id(profile: Profile, *key: object) -> str:
    """Return a stable UUID-shaped id for a document key."""
    digest = hashlib.sha256(f"oura:{profile.seed}:{':'.join(map(str, key))}".encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-a{digest[17:20]}-{digest[20:32]}"


def local_midnight(profile: Profile, day: date) -> int:
    """Return the epoch second of local midnight of a person-day."""
    return local_epoch(zone_of(profile, day), day, 0)


def _with_meta(document: dict[str, Any], knobs: OuraKnobs, updated: int) -> dict[str, Any]:
    if knobs.document_meta:
        document["meta"] = {"updated_at": utc_iso(updated), "version": 1}
    return document


def sleep_document(profile: Profile, period: Period, knobs: OuraKnobs) -> dict[str, Any]:
    """Return the `sleep` document of a period."""
    stages = period.stage_seconds()
    asleep = stages["1"] + stages["2"] + stages["3"]
    in_bed = period.end - period.start
    hearts = [value for value in period.heart if value is not None]
    variability = [value for value in period.hrv if value is not None]
    stamp = local_iso(profile, period.start, millis=True)
    main = period.kind == "long_sleep"
    day_scores = scores(profile, period.day) if main else None
    document: dict[str, Any] = {
        "id": document_id(profile, "sleep", period.start),
        "average_breath": period.breath,
        "average_heart_rate": round(sum(hearts) / len(hearts), 3) if hearts else None,
        "average_hrv": int(round(sum(variability) / len(variability))) if variability else None,
        "awake_time": stages["4"],
        "bedtime_end": local_iso(profile, period.end),
        "bedtime_start": local_iso(profile, period.start),
        "day": period.day.isoformat(),
        "deep_sleep_duration": stages["1"],
        "efficiency": int(round(100 * asleep / in_bed)),
        "heart_rate": {"interval": 300.0, "items": list(period.heart), "timestamp": stamp},
        "hrv": {"interval": 300.0, "items": list(period.hrv), "timestamp": stamp},
        "latency": period.latency(),
        "light_sleep_duration": stages["2"],
        "low_battery_alert": False,
        "lowest_heart_rate": int(min(hearts)) if hearts else None,
        "period": period.number,
        "readiness": None if day_scores is None else {
            "contributors": dict(day_scores.readiness_contributors), "score": day_scores.readiness,
            "temperature_deviation": day_scores.temperature_deviation,
            "temperature_trend_deviation": day_scores.temperature_trend_deviation},
        "readiness_score_delta": 0 if main else None,
        "rem_sleep_duration": stages["3"],
        "restless_periods": period.restless,
        "sleep_algorithm_version": "v2",
        "sleep_analysis_reason": "foreground_sleep_analysis",
        "sleep_phase_5_min": period.phases,
        "sleep_score_delta": 0 if main else None,
        "time_in_bed": in_bed,
        "total_sleep_duration": asleep,
        "type": period.kind,
    }
    if knobs.sleep_30_sec:
        epochs = -(-in_bed // 30)
        fine = "".join(code * 10 for code in period.phases)[:epochs]
        r = rng(profile, "movement", period.start)
        movement = "".join(r.choice(_MOVEMENT_AWAKE) if code == "4" else ("2" if r.random() < 0.08 else "1")
                           for code in fine)
        document.update(sleep_phase_30_sec=fine, movement_30_sec=movement, app_sleep_phase_5_min=period.phases,
                        ring_id=base64.b64encode(f"ring-{profile.seed % 10**8}".encode()).decode())
    return _with_meta(document, knobs, period.end)


def _daily(profile: Profile, kind: str, day: date, knobs: OuraKnobs, body: dict[str, Any],
           *, stamped: bool = True) -> dict[str, Any]:
    document: dict[str, Any] = {"id": document_id(profile, kind, day.isoformat()), "day": day.isoformat()}
    if stamped:
        document["timestamp"] = local_iso(profile, local_midnight(profile, day))
    document.update(body)
    return _with_meta(document, knobs, person_day(profile, day).main.end)


def daily_sleep(profile: Profile, day: date, knobs: OuraKnobs) -> dict[str, Any]:
    """Return the `daily_sleep` document of a day."""
    found = scores(profile, day)
    return _daily(profile, "daily_sleep", day, knobs,
                  {"contributors": dict(found.sleep_contributors), "score": found.sleep})


def daily_readiness(profile: Profile, day: date, knobs: OuraKnobs) -> dict[str, Any]:
    """Return the `daily_readiness` document of a day."""
    found = scores(profile, day)
    return _daily(profile, "daily_readiness", day, knobs, {
        "contributors": dict(found.readiness_contributors), "score": found.readiness,
        "temperature_deviation": found.temperature_deviation,
        "temperature_trend_deviation": found.temperature_trend_deviation})


def daily_spo2(profile: Profile, day: date, knobs: OuraKnobs) -> dict[str, Any]:
    """Return the `daily_spo2` document of a day (null values on nights without a reading)."""
    found = scores(profile, day)
    average = None if found.spo2 is None else {"average": found.spo2}
    return _daily(profile, "daily_spo2", day, knobs, {
        "spo2_percentage": average, "breathing_disturbance_index": found.breathing_disturbance}, stamped=False)


def daily_stress(profile: Profile, day: date, knobs: OuraKnobs) -> dict[str, Any]:
    """Return the `daily_stress` document of a day."""
    found = scores(profile, day)
    return _daily(profile, "daily_stress", day, knobs, {
        "stress_high": found.stress_high, "recovery_high": found.recovery_high,
        "day_summary": found.day_summary}, stamped=False)


def daily_resilience(profile: Profile, day: date, knobs: OuraKnobs) -> dict[str, Any]:
    """Return the `daily_resilience` document of a day."""
    found = scores(profile, day)
    return _daily(profile, "daily_resilience", day, knobs, {
        "contributors": dict(found.resilience_contributors), "level": found.resilience_level}, stamped=False)


def cardiovascular_age(profile: Profile, day: date, knobs: OuraKnobs) -> dict[str, Any] | None:
    """Return the `daily_cardiovascular_age` document of a day, or None when not measured."""
    found = scores(profile, day)
    if found.vascular_age is None:
        return None
    document = _daily(profile, "daily_cardiovascular_age", day, knobs, {
        "vascular_age": found.vascular_age, "pulse_wave_velocity": found.pulse_wave_velocity}, stamped=False)
    if not knobs.cardiovascular_age_id:
        del document["id"]
    return document


def vo2_max(profile: Profile, day: date, knobs: OuraKnobs) -> dict[str, Any] | None:
    """Return the `vO2_max` document of a day, or None on days without an estimate."""
    found = scores(profile, day)
    if found.vo2_max is None:
        return None
    return _daily(profile, "vO2_max", day, knobs, {"vo2_max": found.vo2_max})


def daily_activity(profile: Profile, day: date, knobs: OuraKnobs, now: int) -> dict[str, Any] | None:
    """Return the `daily_activity` document of a day as of `now` (a day in progress is partial)."""
    timeline = activity_day(profile, day)
    slots = min(MINUTES // 5, (now - timeline.start) // SLOT)
    if slots < 1:
        return None
    classes, minutes = timeline.classes[:slots], slots * 5
    met, steps = timeline.met[:minutes], sum(timeline.steps[:minutes])
    r = rng(profile, "activity-doc", day.toordinal())
    kcal = profile.weight_kg * 3.5 / 200
    active = int(round(sum(value - 1.0 for minute, value in enumerate(met) if classes[minute // 5] > "2") * kcal))
    met_by_class = dict.fromkeys("012345", 0.0)
    for minute, value in enumerate(met):
        met_by_class[classes[minute // 5]] += value
    distance = int(steps * profile.height_m * 0.415)
    target_meters = 7000 + 1000 * (profile.seed % 4)
    document = {
        "id": document_id(profile, "daily_activity", day.isoformat()),
        "class_5_min": classes,
        "score": max(1, min(100, int(40 + min(50, steps / 250) + r.gauss(0, 4)))),
        "active_calories": active,
        "average_met_minutes": round(sum(met) / len(met), 5),
        "contributors": {name: max(1, min(100, int(r.gauss(85, 10)))) for name in (
            "meet_daily_targets", "move_every_hour", "recovery_time", "stay_active", "training_frequency",
            "training_volume")},
        "equivalent_walking_distance": distance,
        "inactivity_alerts": len(_INACTIVE_HOUR.findall(classes)),
        "met": {"interval": 60.0, "items": list(met), "timestamp": local_iso(profile, timeline.start, millis=True)},
        "meters_to_target": target_meters - distance,
        "non_wear_time": classes.count("0") * SLOT,
        "resting_time": classes.count("1") * SLOT,
        "sedentary_met_minutes": int(round(met_by_class["2"])),
        "sedentary_time": classes.count("2") * SLOT,
        "steps": steps,
        "target_calories": 350 + 50 * (profile.seed % 5),
        "target_meters": target_meters,
        "total_calories": active + int(round(profile.bmr_kcal_per_minute * minutes)),
        "day": day.isoformat(),
        "timestamp": local_iso(profile, timeline.start),
    }
    for code, level in (("3", "low"), ("4", "medium"), ("5", "high")):
        document[f"{level}_activity_met_minutes"] = int(round(met_by_class[code]))
        document[f"{level}_activity_time"] = classes.count(code) * SLOT
    return _with_meta(document, knobs, min(now, timeline.start + MINUTES * 60))


def workout_document(profile: Profile, workout: Workout, day: date, knobs: OuraKnobs) -> dict[str, Any]:
    """Return the `workout` document of a workout."""
    return _with_meta({
        "id": document_id(profile, "workout", workout.start), "activity": workout.activity,
        "calories": workout.calories, "day": day.isoformat(), "distance": workout.distance,
        "end_datetime": local_iso(profile, workout.end), "intensity": workout.intensity, "label": workout.label,
        "source": workout.source, "start_datetime": local_iso(profile, workout.start)}, knobs, workout.end)


def session_document(profile: Profile, session: Session, day: date, knobs: OuraKnobs) -> dict[str, Any]:
    """Return the `session` document of a session (5-second samples)."""
    stamp = local_iso(profile, session.start, millis=True)
    return _with_meta({
        "id": document_id(profile, "session", session.start), "day": day.isoformat(),
        "start_datetime": local_iso(profile, session.start), "end_datetime": local_iso(profile, session.end),
        "type": session.kind, "mood": session.mood,
        "heart_rate": {"interval": 5.0, "items": list(session.heart), "timestamp": stamp},
        "heart_rate_variability": {"interval": 5.0, "items": list(session.hrv), "timestamp": stamp},
        "motion_count": None}, knobs, session.end)
