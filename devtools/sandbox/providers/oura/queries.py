"""Oura collection queries: the collection table, range rules, which documents a range holds, paging.

Range rules (docs/providers/oura.md 3.1): `end_date` includes its day for the midnight-anchored
dailies and excludes it for `daily_activity` and `sleep` (and, here, `session`); `workout` is
filtered on the workout's UTC start date, end excluded. Documents appear once they are final (a
sleep once it ended, a daily score once the night is analysed, stress once the day is over), daily
activity while its day runs. Data starts `history_days` before `now`. `next_token` is opaque and
bound to the range it was issued for.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from devtools.sandbox.providers.oura import documents as docs
from devtools.sandbox.providers.oura.heartrate import day_rows
from devtools.sandbox.providers.oura.knobs import OuraKnobs
from devtools.sandbox.providers.oura.plan import daytime, person_day
from devtools.sandbox.wearer.clock import DAY, day_start, utc_day
from devtools.sandbox.wearer.profiles import Profile

DAILY_SCOPE = ("daily",)


class QueryError(Exception):
    """A request the API refuses: `status` and the `detail` body."""

    def __init__(self, status: int, detail: Any) -> None:
        super().__init__(str(detail))
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class CollectionSpec:
    """One collection: path, the scopes that unlock it (any one), whether end_date counts, kind."""

    path: str
    scopes: tuple[str, ...]
    end_inclusive: bool
    kind: str  # heartrate | sleep | daily | workout | session


COLLECTIONS: dict[str, CollectionSpec] = {spec.path: spec for spec in (
    CollectionSpec("heartrate", ("heartrate",), True, "heartrate"),
    CollectionSpec("sleep", DAILY_SCOPE, False, "sleep"),
    CollectionSpec("daily_sleep", DAILY_SCOPE, True, "daily"),
    CollectionSpec("daily_readiness", DAILY_SCOPE, True, "daily"),
    CollectionSpec("daily_activity", DAILY_SCOPE, False, "daily"),
    CollectionSpec("workout", ("workout",), False, "workout"),
    CollectionSpec("session", ("session",), False, "session"),
    CollectionSpec("daily_spo2", ("spo2", "spo2Daily"), True, "daily"),
    CollectionSpec("daily_stress", ("stress",), True, "daily"),
    CollectionSpec("daily_resilience", ("stress", "heart_health"), True, "daily"),
    CollectionSpec("daily_cardiovascular_age", ("heart_health",), True, "daily"),
    CollectionSpec("vO2_max", ("heart_health",), True, "daily"),
)}
_AFTER_NIGHT: dict[str, Callable[[Profile, date, OuraKnobs], dict[str, Any] | None]] = {
    "daily_sleep": docs.daily_sleep, "daily_readiness": docs.daily_readiness, "daily_spo2": docs.daily_spo2,
    "daily_resilience": docs.daily_resilience, "daily_cardiovascular_age": docs.cardiovascular_age,
    "vO2_max": docs.vo2_max}


def fingerprint(*parts: object) -> str:
    """Return a short hash binding a page token to its request."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]


def encode_token(position: int, bound: str) -> str:
    """Return an opaque next_token for a position in a result."""
    raw = json.dumps({"p": position, "q": bound}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str | None, bound: str) -> int | None:
    """Return the position of a next_token (None: first page).

    Raises:
        QueryError: 400 when the token is malformed or was issued for other range parameters.
    """
    if token is None:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError):
        raise QueryError(400, "Invalid next_token.") from None
    if not isinstance(data, dict) or data.get("q") != bound or type(data.get("p")) is not int:
        raise QueryError(400, "next_token does not match the request parameters.")
    return data["p"]


def day_range(spec: CollectionSpec, first: date, end: date, knobs: OuraKnobs) -> tuple[date, date]:
    """Return the inclusive days a [start_date, end_date] request covers for a collection."""
    inclusive = spec.end_inclusive and not knobs.end_exclusive_everywhere
    return first, end if inclusive else end - timedelta(days=1)


def documents(profile: Profile, spec: CollectionSpec, first: date, last: date, now: int,
              knobs: OuraKnobs) -> list[dict[str, Any]]:
    """Return the documents of days [first, last] visible at `now`, in time order."""
    earliest = now - knobs.history_days * DAY
    first = max(first, utc_day(earliest))
    if last < first:
        return []
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if spec.kind == "sleep":
        return _sleep(profile, first, last, now, earliest, knobs)
    if spec.kind in ("workout", "session"):
        return _events(profile, spec.kind, first, last, now, earliest, knobs)
    out = []
    for day in days:
        if spec.path == "daily_activity":
            found = docs.daily_activity(profile, day, knobs, now)
        elif spec.path == "daily_stress":
            found = docs.daily_stress(profile, day, knobs) if docs.local_midnight(profile, day + timedelta(days=1)) \
                <= now else None
        else:
            found = _AFTER_NIGHT[spec.path](profile, day, knobs) if person_day(profile, day).main.end <= now else None
        if found is not None:
            out.append(found)
    return out


def _sleep(profile: Profile, first: date, last: date, now: int, earliest: int,
           knobs: OuraKnobs) -> list[dict[str, Any]]:
    periods = []
    for offset in range((last - first).days + 2):
        plan = person_day(profile, first + timedelta(days=offset - 1))
        periods += [p for p in (plan.main, plan.daytime.nap, plan.daytime.late_nap) if p is not None]
    kept = sorted((p for p in periods if first <= p.day <= last and earliest <= p.start and p.end <= now),
                  key=lambda p: p.start)
    return [docs.sleep_document(profile, period, knobs) for period in kept]


def _events(profile: Profile, kind: str, first: date, last: date, now: int, earliest: int,
            knobs: OuraKnobs) -> list[dict[str, Any]]:
    out = []
    for offset in range((last - first).days + 3):
        day = first + timedelta(days=offset - 1)
        events = daytime(profile, day)
        found = events.workout if kind == "workout" else events.session
        if found is None or not earliest <= found.start or found.end > now:
            continue
        if kind == "workout" and first <= utc_day(found.start) <= last:
            out.append(docs.workout_document(profile, found, day, knobs))
        elif kind == "session" and first <= day <= last:
            out.append(docs.session_document(profile, found, day, knobs))
    return out


def heartrate_page(profile: Profile, start: int, end: int, now: int, after: int | None, size: int,
                   knobs: OuraKnobs) -> tuple[list[dict[str, Any]], int | None]:
    """Return up to `size` rows in [start, end] (end included) from `after` on, and the next row's time."""
    lower = max(start, now - knobs.history_days * DAY, after if after is not None else start)
    upper = min(end, now)
    rows: list[dict[str, Any]] = []
    day = utc_day(lower)
    while day_start(day) <= upper:
        for at, bpm, source in day_rows(profile, day):
            if at < lower:
                continue
            if at > upper:
                return rows, None
            if len(rows) == size:
                return rows, at
            row: dict[str, Any] = {"bpm": bpm, "source": source, "timestamp": docs.utc_iso(at)}
            if knobs.heartrate_timestamp_unix:
                row["timestamp_unix"] = at * 1000
            rows.append(row)
        day += timedelta(days=1)
    return rows, None
