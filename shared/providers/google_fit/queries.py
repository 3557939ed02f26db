"""Request pieces for Google Fit REST: URLs, aggregate bodies, bucket alignment, and our page tokens.

Reference: docs/providers/google_fit.md 1 (paths, percent-encoded data source ids), 3.2 (aggregate
body, at most 7,776,000,000 ms = 90 days per request), 3.3 (datasets.get range and paging) and 3.4
(sessions.list times). The token handed to the engine is a small JSON object, opaque to it:
    {"v": 1, "from": <epoch ms>, "len": <ms>, "pt": "<provider token>"}
`from`/`len` are the sub-window the next request covers (a window is cut into shorter ones after
a 400 for a too-long range: "aggregate duration too large", "Session limit of 10000 exceeded."),
`pt` the provider's own page token (datasets.get).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from shared.errors import JobError
from shared.providers.google_fit.map_series import AggregateSpec
from shared.providers.google_fit.map_values import to_millis

MAX_AGGREGATE_SPAN = timedelta(milliseconds=7_776_000_000)  # Discovery: end - start <= 90 days (3.2)
FALLBACK_SPAN_MS = 30 * 86_400_000  # the defensive aggregate window of the reference (3.2, 6)
DATASET_PAGE_LIMIT = 1000  # points per datasets.get answer; no documented maximum (3.3)
_USER_PATH = "/fitness/v1/users/me"


def aggregate_url(base_url: str) -> str:
    """Return the `dataset:aggregate` URL."""
    return f"{base_url.rstrip('/')}{_USER_PATH}/dataset:aggregate"


def sessions_url(base_url: str) -> str:
    """Return the `sessions.list` URL."""
    return f"{base_url.rstrip('/')}{_USER_PATH}/sessions"


def dataset_url(base_url: str, source_id: str, start_nanos: int, end_nanos: int) -> str:
    """Return a `datasets.get` URL; the id's `:` (and any space or `<`) are percent-encoded."""
    return (f"{base_url.rstrip('/')}{_USER_PATH}/dataSources/{quote(source_id, safe='')}"
            f"/datasets/{start_nanos}-{end_nanos}")


def aggregate_body(specs: tuple[AggregateSpec, ...], start_ms: int, end_ms: int, bucket_ms: int) -> dict[str, Any]:
    """Return an aggregate request: one `aggregateBy` entry per spec, fixed buckets from `start_ms`."""
    return {"startTimeMillis": start_ms, "endTimeMillis": end_ms,
            "aggregateBy": [spec.request() for spec in specs],
            "bucketByTime": {"durationMillis": bucket_ms}}


def aligned(start: datetime, end: datetime, bucket_ms: int) -> tuple[int, int]:
    """Return [start, end) in epoch ms, both floored to whole buckets counted from the epoch (UTC).

    Every bucket a request covers is then complete and always has the same bounds: a bucket is
    sent once its period is over, and a re-read sends the same record again instead of a second
    one with other times. The bucket holding `start` is read whole, so windows that meet or overlap
    leave no gap.
    """
    return to_millis(start) // bucket_ms * bucket_ms, to_millis(end) // bucket_ms * bucket_ms


def to_millis_delta(value: timedelta) -> int:
    """Return a duration in whole milliseconds."""
    return (value.days * 86_400 + value.seconds) * 1000 + value.microseconds // 1000


@dataclass(frozen=True)
class Cursor:
    """Where the next request of a window starts, how long it is, and the provider's page token."""

    start_ms: int
    length_ms: int
    provider_token: str | None = None


def encode(cursor: Cursor | None) -> str | None:
    """Return the engine-facing token of a cursor (None: the window is done)."""
    if cursor is None:
        return None
    data: dict[str, Any] = {"v": 1, "from": cursor.start_ms, "len": cursor.length_ms}
    if cursor.provider_token:
        data["pt"] = cursor.provider_token
    return json.dumps(data, separators=(",", ":"))


def decode(token: str | None, first: Cursor) -> Cursor:
    """Return the cursor of an engine-facing token (`first` when there is none).

    Raises:
        JobError: the token is not one of ours.
    """
    if not token:
        return first
    try:
        data = json.loads(token)
    except ValueError:
        raise JobError("google fit page token is not JSON") from None
    if not isinstance(data, dict) or data.get("v") != 1:
        raise JobError("google fit page token has an unknown version")
    start, length, provider = data.get("from"), data.get("len"), data.get("pt")
    if type(start) is not int or type(length) is not int or length <= 0:
        raise JobError("google fit page token has a malformed window")
    return Cursor(start, length, provider if isinstance(provider, str) and provider else None)


def shortened(cursor: Cursor, unit_ms: int) -> Cursor | None:
    """Return the cursor of the next try after a refused range, or None when it is one unit already.

    The first refusal falls back to 30 days, the window the reference recommends because several
    clients met the error above it (3.2); a range still refused is halved, in whole units.
    """
    if cursor.length_ms <= unit_ms:
        return None
    if cursor.length_ms > FALLBACK_SPAN_MS:
        length = FALLBACK_SPAN_MS
    else:
        length = cursor.length_ms // 2
    return Cursor(cursor.start_ms, max(unit_ms, length // unit_ms * unit_ms))
