"""WHOOP physiological cycles -> a cycle event each, and the energy of each cycle (pure).

Shape: docs/providers/whoop.md 4.2. A cycle runs from one sleep onset to the next; the current
cycle has no `end` and its score keeps growing, so only ended cycles are emitted (the overlap
re-read picks a cycle up once it has ended). A cycle whose score is pending is left for a later
read; an unscorable one carries no measurements and is not emitted. `kilojoule` is the cycle's
whole energy expenditure, converted to kilocalories for `interval.total_calories`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shared.contract.records import EVENT_PREFIX, STREAM_PREFIX, DatastreamPacket, Event, IntervalPoint, Record
from shared.providers.whoop.map_common import activity_times, put
from shared.providers.whoop.map_values import integer, kilocalories, number, score_of

CYCLE_TYPE = EVENT_PREFIX + "physiological_cycle"
CYCLE_NAME = "Physiological cycle"
CALORIES = STREAM_PREFIX + "interval.total_calories"


def map_cycles(cycles: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Record]:
    """Return one event per ended, scored cycle, then one packet of their energy."""
    records: list[Record] = []
    energy: list[IntervalPoint] = []
    for cycle in cycles:
        score = score_of(cycle)
        found = activity_times(cycle) if score is not None else None
        if found is None:
            continue
        start, end, parameters = found
        calories = kilocalories(score.get("kilojoule"))
        put(parameters, "strain", number(score.get("strain")))
        put(parameters, "calories", calories)
        put(parameters, "average_heart_rate", number(score.get("average_heart_rate")))
        put(parameters, "max_heart_rate", number(score.get("max_heart_rate")))
        put(parameters, "steps", integer(cycle.get("step_count")))
        records.append(Event(individual_id, start, end, CYCLE_TYPE, CYCLE_NAME, source, parameters))
        if calories is not None and end > start:
            energy.append(IntervalPoint(start, end, calories))
    if energy:
        ordered = tuple(sorted(energy, key=lambda point: point.start_time))
        records.append(DatastreamPacket(CALORIES, individual_id, source, "kilo_calories", None, ordered))
    return records
