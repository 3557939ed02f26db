"""Building datastream packets from mapped points: the stream a value goes to, and one packet per stream.

Provider mappers read their own JSON shapes; what they share is here: a finite JSON number, the
Personicle stream a value goes to (`Series`), and grouping points into time-ordered packets.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.contract.records import DatastreamPacket, IntervalPoint, Point

SeriesPoint = Point | IntervalPoint


def number(value: Any) -> int | float | None:
    """Return a finite JSON number (booleans are not numbers), or None."""
    if type(value) is int:
        return value
    if type(value) is float and math.isfinite(value):
        return value
    return None


@dataclass(frozen=True)
class Series:
    """One Personicle datastream a provider value goes to: full name, unit, int values or not."""

    name: str
    unit: str
    integer: bool = False

    def value(self, raw: Any) -> int | float | None:
        """Return `raw` as this stream's value type (ints rounded), or None when not a finite number."""
        found = number(raw)
        if found is None:
            return None
        return int(round(found)) if self.integer else found


def _point_time(point: SeriesPoint) -> datetime:
    return point.timestamp if type(point) is Point else point.start_time  # type: ignore[union-attr]


def packets(grouped: Mapping[Series, Sequence[SeriesPoint]], individual_id: str, source: str
            ) -> list[DatastreamPacket]:
    """Return one time-ordered packet per series that has points (series in the order given)."""
    out = []
    for series, points in grouped.items():
        if points:
            ordered = tuple(sorted(points, key=_point_time))
            out.append(DatastreamPacket(series.name, individual_id, source, series.unit, None, ordered))
    return out


def group(pairs: Iterable[tuple[Series, SeriesPoint]]) -> dict[Series, list[SeriesPoint]]:
    """Return (series, point) pairs grouped by series, in first-seen order."""
    out: dict[Series, list[SeriesPoint]] = {}
    for series, point in pairs:
        out.setdefault(series, []).append(point)
    return out
