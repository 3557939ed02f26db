"""Oura `heartrate` rows -> one Personicle `heartrate` packet per page (pure, no I/O).

Rows: docs/providers/oura.md 4.5 and 5.1, `{bpm, source, timestamp}` in UTC, with or without
`timestamp_unix`. Rows outside the requested window are dropped so that neighbouring windows never
emit a sample twice; rows without a positive bpm or a readable time are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from shared.contract.records import DatastreamPacket, Point
from shared.providers.oura.map_values import HEARTRATE, UTC, instant

_fromisoformat = datetime.fromisoformat


def heartrate_points(rows: Iterable[Mapping[str, Any]], start: datetime, end: datetime) -> list[Point]:
    """Return the points of rows whose time lies in [start, end), in time order."""
    out: list[Point] = []
    append = out.append
    for row in rows:
        bpm = row.get("bpm")
        if type(bpm) is not int:
            bpm = HEARTRATE.value(bpm)
            if bpm is None:
                continue
        if bpm <= 0:
            continue
        stamp = row.get("timestamp")
        try:
            at = _fromisoformat(stamp)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if at.tzinfo is not UTC:
            at = instant(stamp)  # type: ignore[assignment]
            if at is None:
                continue
        if start <= at < end:
            append(Point(at, bpm))
    if any(a.timestamp > b.timestamp for a, b in zip(out, out[1:])):
        out.sort(key=lambda point: point.timestamp)
    return out


def map_heartrate(rows: Iterable[Mapping[str, Any]], individual_id: str, source: str, start: datetime,
                  end: datetime) -> list[DatastreamPacket]:
    """Return at most one `heartrate` packet of the rows in [start, end)."""
    points = heartrate_points(rows, start, end)
    if not points:
        return []
    return [DatastreamPacket(HEARTRATE.name, individual_id, source, HEARTRATE.unit, None, tuple(points))]
