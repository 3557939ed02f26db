"""WHOOP sleeps -> a sleep event per sleep or nap (pure).

Shape: docs/providers/whoop.md 4.4. WHOOP gives a stage summary, not a hypnogram, so there are no
stage events. Asleep time is light + slow wave (deep) + REM; sleep need is the sum of its four
parts. A pending sleep is left for a later read (its score comes within hours); an unscorable one
is emitted with its times and `score_state` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shared.contract.records import EVENT_PREFIX, Event
from shared.providers.whoop.map_common import activity_times, put
from shared.providers.whoop.map_values import PENDING, integer, mapping, number, score_of, seconds

SLEEP_TYPE = EVENT_PREFIX + "sleep"
_STAGES = (("total_in_bed_time_milli", "time_in_bed"), ("total_awake_time_milli", "awake_duration"),
           ("total_no_data_time_milli", "no_data_duration"),
           ("total_light_sleep_time_milli", "light_sleep_duration"),
           ("total_slow_wave_sleep_time_milli", "deep_sleep_duration"),
           ("total_rem_sleep_time_milli", "rem_sleep_duration"))
_ASLEEP = ("total_light_sleep_time_milli", "total_slow_wave_sleep_time_milli", "total_rem_sleep_time_milli")
_NEED = ("baseline_milli", "need_from_sleep_debt_milli", "need_from_recent_strain_milli", "need_from_recent_nap_milli")
_PERCENTAGES = (("sleep_efficiency_percentage", "efficiency"), ("sleep_performance_percentage", "sleep_performance"),
                ("sleep_consistency_percentage", "sleep_consistency"))


def map_sleeps(sleeps: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Event]:
    """Return one event per readable sleep that is scored or unscorable, in the order given."""
    events = []
    for sleep in sleeps:
        if sleep.get("score_state") == PENDING:
            continue
        found = activity_times(sleep)
        if found is None:
            continue
        start, end, parameters = found
        nap = sleep.get("nap")
        if type(nap) is bool:
            parameters["main_sleep"] = not nap
            parameters["sleep_type"] = "nap" if nap else "sleep"
        score = score_of(sleep)
        if score is not None:
            _scored(score, parameters)
        events.append(Event(individual_id, start, end, SLEEP_TYPE, "Sleep", source, parameters))
    return events


def _scored(score: Mapping[str, Any], parameters: dict[str, Any]) -> None:
    stages = mapping(score.get("stage_summary"))
    for field, key in _STAGES:
        put(parameters, key, seconds(stages.get(field)))
    asleep = [number(stages.get(field)) for field in _ASLEEP]
    if all(part is not None for part in asleep):
        parameters["asleep_duration"] = seconds(sum(asleep))  # type: ignore[arg-type]
    put(parameters, "sleep_cycle_count", integer(stages.get("sleep_cycle_count")))
    put(parameters, "disturbance_count", integer(stages.get("disturbance_count")))
    need = mapping(score.get("sleep_needed"))
    parts = [number(need.get(field)) for field in _NEED]
    if all(part is not None for part in parts):
        parameters["sleep_need"] = seconds(sum(parts))  # type: ignore[arg-type]
    for field, key in _PERCENTAGES:
        put(parameters, key, number(score.get(field)))
    put(parameters, "average_breath", number(score.get("respiratory_rate")))
