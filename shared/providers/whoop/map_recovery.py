"""WHOOP recoveries -> recovery score, resting heart rate, HRV, SpO2 and skin temperature points (pure).

Shape: docs/providers/whoop.md 4.3. A recovery has no id and no time of its own besides
`created_at` (when WHOOP scored it, shortly after the sleep it is based on): its values are stamped
there. Only SCORED recoveries carry values; SpO2 and skin temperature exist for WHOOP 4.0 straps
only. `skin_temp_celsius` is an absolute temperature, `hrv_rmssd_milli` already milliseconds.
Scores of a member still calibrating (`user_calibrating`) are emitted like the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from shared.contract.records import STREAM_PREFIX, DatastreamPacket, Point, Record
from shared.providers.whoop.map_values import created_of, integer, number, score_of

_S = STREAM_PREFIX
# (score field, stream, unit, integer values)
SERIES = (
    ("recovery_score", _S + "recovery_score", "percentage", False),
    ("resting_heart_rate", _S + "resting_heartrate", "bpm", True),
    ("hrv_rmssd_milli", _S + "heart_rate_variability", "ms", False),
    ("spo2_percentage", _S + "oxygen_saturation", "percentage", False),
    ("skin_temp_celsius", _S + "skin_temperature", "Celsius", False),
)


def map_recoveries(recoveries: Iterable[Mapping[str, Any]], individual_id: str, source: str) -> list[Record]:
    """Return one time-ordered packet per measurement present in the scored recoveries."""
    points: dict[str, list[Point]] = {stream: [] for _, stream, _, _ in SERIES}
    for recovery in recoveries:
        score, stamp = score_of(recovery), created_of(recovery)
        if score is None or stamp is None:
            continue
        for field, stream, _, whole in SERIES:
            value = integer(score.get(field)) if whole else number(score.get(field))
            if value is not None and (value > 0 or field == "recovery_score"):
                points[stream].append(Point(stamp, value))
    return [DatastreamPacket(stream, individual_id, source, unit, None, tuple(sorted(points[stream], key=_time)))
            for _, stream, unit, _ in SERIES if points[stream]]


def _time(point: Point) -> datetime:
    return point.timestamp
