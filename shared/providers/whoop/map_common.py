"""What every WHOOP activity event shares: UTC times, duration, the member's offset, the record id, the score state."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared.providers.whoop.map_values import SCORED, instant, offset, record_id, text


def activity_times(record: Mapping[str, Any]) -> tuple[datetime, datetime, dict[str, Any]] | None:
    """Return (start, end, common parameters) of a record with readable, ordered `start` and `end`.

    The parameters are `duration` (seconds), `utc_offset` (from `timezone_offset`, when readable),
    `provider_record_id` and, for records not scored, `score_state`.
    """
    start, end = instant(record.get("start")), instant(record.get("end"))
    if start is None or end is None or end < start:
        return None
    parameters: dict[str, Any] = {"duration": int((end - start).total_seconds())}
    found_offset = offset(record.get("timezone_offset"))
    if found_offset is not None:
        parameters["utc_offset"] = found_offset
    found_id = record_id(record.get("id"))
    if found_id is not None:
        parameters["provider_record_id"] = found_id
    state = text(record.get("score_state"))
    if state is not None and state != SCORED:
        parameters["score_state"] = state
    return start, end, parameters


def put(parameters: dict[str, Any], key: str, value: Any) -> None:
    """Set a parameter when its value is known (an absent field means unknown, never zero)."""
    if value is not None:
        parameters[key] = value
