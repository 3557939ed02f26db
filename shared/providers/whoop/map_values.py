"""Decode WHOOP API v2 JSON values: UTC times, the member's offset, numbers, score states, units.

Reference: docs/providers/whoop.md 1 (times), 3.3 (score states), 3.4 (units). Times are UTC with
milliseconds (`2022-04-24T11:25:44.774Z`); each activity carries its own `timezone_offset`
(`+hh:mm`, `-hh:mm` or `Z`). Every numeric field is read as a number, whole or not. Unknown keys are
ignored; optional keys may be absent or null.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared.clock import UTC
from shared.contract.series import number

SCORED, PENDING, UNSCORABLE = "SCORED", "PENDING_SCORE", "UNSCORABLE"
KJ_PER_KCAL = 4.184
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def instant(value: Any) -> datetime | None:
    """Return an ISO-8601 date-time with a zone as a UTC datetime, or None (naive or malformed)."""
    if type(value) is not str or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        return None
    return None if parsed.tzinfo is None else parsed.astimezone(UTC)


def offset(value: Any) -> str | None:
    """Return a `timezone_offset` as `+HH:MM` (`Z` is `+00:00`), or None when unreadable."""
    if value == "Z":
        return "+00:00"
    found = _OFFSET.match(value) if type(value) is str else None
    if found is None or int(found.group(2)) > 23 or int(found.group(3)) > 59:
        return None
    return f"{found.group(1)}{found.group(2)}:{found.group(3)}"


def integer(value: Any) -> int | None:
    """Return a JSON number rounded to an int, or None."""
    found = number(value)
    return None if found is None else int(round(found))


def seconds(milli: Any) -> int | None:
    """Return a `*_milli` duration in whole seconds, or None."""
    found = number(milli)
    return None if found is None else int(round(found / 1000))


def kilocalories(kilojoule: Any) -> float | None:
    """Return kilojoules as kilocalories (the dictionary's unit), or None."""
    found = number(kilojoule)
    return None if found is None else round(found / KJ_PER_KCAL, 3)


def text(value: Any) -> str | None:
    """Return a non-empty string, or None."""
    return value if type(value) is str and value else None


def mapping(value: Any) -> Mapping[str, Any]:
    """Return `value` when it is an object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def record_id(value: Any) -> str | None:
    """Return a record id as text: cycles have int64 ids, sleeps and workouts UUIDs (3.2)."""
    if type(value) is int:
        return str(value)
    return text(value)


def score_of(record: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """Return the `score` of a SCORED record; None for any other state (the score is then absent)."""
    if record.get("score_state") != SCORED:
        return None
    score = record.get("score")
    return score if isinstance(score, Mapping) else None


def records(body: Any) -> list[Mapping[str, Any]]:
    """Return the `records` list of a collection page (objects only; a missing list gives [])."""
    items = body.get("records") if isinstance(body, Mapping) else None
    return [item for item in items if isinstance(item, Mapping)] if isinstance(items, list) else []


def next_token(body: Any) -> str | None:
    """Return the page's `next_token`; absent, null and "" all mean the last page (3.1)."""
    token = body.get("next_token") if isinstance(body, Mapping) else None
    return token if isinstance(token, str) and token else None


def start_of(record: Mapping[str, Any]) -> datetime | None:
    """Return a record's `start` in UTC (what windows keep cycles, sleeps and workouts by)."""
    return instant(record.get("start"))


def created_of(record: Mapping[str, Any]) -> datetime | None:
    """Return a record's `created_at` in UTC (what windows keep recoveries by: they have no start)."""
    return instant(record.get("created_at"))
