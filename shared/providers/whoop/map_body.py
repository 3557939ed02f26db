"""WHOOP body measurement -> weight and height points (pure).

Shape: docs/providers/whoop.md 4.1. The endpoint gives current values only, without a time: the
fetch hook stamps them at the instant it is given (the start of the UTC day they were read), so a
day keeps one reading and re-reads of that day send the same points. Height comes in metres and
goes out in centimetres; `max_heart_rate` has no Personicle stream and is not emitted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared.contract.records import STREAM_PREFIX, DatastreamPacket, Point, Record
from shared.providers.whoop.map_values import number

WEIGHT = STREAM_PREFIX + "weight"
HEIGHT = STREAM_PREFIX + "height"


def map_body(body: Any, individual_id: str, source: str, stamp: datetime) -> list[Record]:
    """Return a weight and a height packet of one point each, for the values present and positive."""
    values = body if isinstance(body, Mapping) else {}
    out: list[Record] = []
    weight = number(values.get("weight_kilogram"))
    if weight is not None and weight > 0:
        out.append(DatastreamPacket(WEIGHT, individual_id, source, "kilogram", None, (Point(stamp, weight),)))
    height = number(values.get("height_meter"))
    if height is not None and height > 0:
        out.append(DatastreamPacket(HEIGHT, individual_id, source, "cm", None, (Point(stamp, round(height * 100, 2)),)))
    return out
