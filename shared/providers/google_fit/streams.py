"""The `google_fit` streams over Google Fit REST, declared for the generic download engine.

Request kind per stream (docs/providers/google_fit.md 3.2-3.4, 6):
    aggregate    one stream per scope group, all its types in one `dataset:aggregate` request per
                 90-day window (the documented maximum): ceil(365 / 90) = 5 calls a year each
    sessions     `sessions.list` over a year per call, not paged (a time-bounded query ignores its
                 page token; 3.4): 1 call a year
    sleep_stages `datasets.get` on the merged sleep.segment stream over a year, 1000 points a page,
                 pages walking back in time: ceil(segments / 1000) calls a year
A 400 for a too-long range (the aggregate limit is reported lower than 90 days by some clients;
the 10,000-session limit) shortens the request (to 30 days, then by halves) and carries on within
the same window.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from shared.errors import ProviderRejected
from shared.providers.google_fit.catalogue import AGGREGATE_GROUPS, SLEEP_SEGMENTS_SOURCE, AggregateGroup, read_scope
from shared.providers.google_fit.map_series import map_aggregate
from shared.providers.google_fit.map_sessions import map_sessions, map_sleep_segments, segment_end, session_end
from shared.providers.google_fit.map_values import EPOCH, MS_PER_DAY, items, rfc3339, to_millis, to_nanos
from shared.providers.google_fit.queries import (
    DATASET_PAGE_LIMIT,
    MAX_AGGREGATE_SPAN,
    Cursor,
    aggregate_body,
    aggregate_url,
    aligned,
    dataset_url,
    decode,
    encode,
    sessions_url,
    shortened,
    to_millis_delta,
)
from shared.sync.streams import Page, Stream, StreamContext

YEAR_WINDOW = timedelta(days=366)
_DONE = Page((), None)
log = logging.getLogger(__name__)


def _at(millis: int) -> datetime:
    return EPOCH + timedelta(milliseconds=millis)


def _smaller(error: ProviderRejected, cursor: Cursor, unit_ms: int) -> Page:
    """Return the page that retries a refused range as a shorter one; re-raise anything else."""
    shorter = shortened(cursor, unit_ms) if error.status == 400 else None
    if shorter is None:
        raise error
    log.info("google fit refused a %d-day range with 400; retrying with %d days",
             cursor.length_ms // MS_PER_DAY, shorter.length_ms // MS_PER_DAY)
    return Page((), encode(shorter))


def fetch_aggregate(ctx: StreamContext, start: datetime, end: datetime, token: str | None, *,
                    group: AggregateGroup) -> Page:
    """Read one aggregate answer of a scope group: whole buckets within [start, end) floored to buckets."""
    unit = to_millis_delta(group.bucket)
    low, high = aligned(start, end, unit)
    cursor = decode(token, Cursor(low, max(high - low, unit)))
    if cursor.start_ms >= high:
        return _DONE  # the window lies inside one bucket that is not over yet
    stop = min(cursor.start_ms + cursor.length_ms, high)
    try:
        body = ctx.api.post_json(aggregate_url(ctx.base_url),
                                 aggregate_body(group.specs, cursor.start_ms, stop, unit))
    except ProviderRejected as error:
        return _smaller(error, cursor, unit)
    packets = map_aggregate(body, group.specs, ctx.individual_id, ctx.source)
    following = Cursor(stop, cursor.length_ms) if stop < high else None
    return Page(packets, encode(following))


def fetch_sessions(ctx: StreamContext, start: datetime, end: datetime, token: str | None) -> Page:
    """Read the sessions ending in [start, end) (or in the shorter range a token names)."""
    first, last = to_millis(start), to_millis(end)
    cursor = decode(token, Cursor(first, max(last - first, 1)))
    if cursor.start_ms >= last:
        return _DONE
    stop = min(cursor.start_ms + cursor.length_ms, last)
    params = {"startTime": rfc3339(_at(cursor.start_ms)), "endTime": rfc3339(_at(stop))}
    try:
        body = ctx.api.get_json(sessions_url(ctx.base_url), params)
    except ProviderRejected as error:
        return _smaller(error, cursor, MS_PER_DAY)
    low, high = _at(cursor.start_ms), _at(stop)
    # The query includes both ends; a session ending exactly at `stop` belongs to the next range.
    kept = [s for s in items(body, "session") if _within(session_end(s), low, high)]
    following = Cursor(stop, cursor.length_ms) if stop < last else None
    return Page(map_sessions(kept, ctx.individual_id, ctx.source), encode(following))


def fetch_sleep_stages(ctx: StreamContext, start: datetime, end: datetime, token: str | None) -> Page:
    """Read one page of merged sleep segments overlapping [start, end); keep those ending in it.

    The merged stream exists only once the user has sleep data: a 404 (or 400 "not found") on the
    first page means no data. Pages walk back in time; an empty page ends the window even if it
    carries a token (3.3: defends against a token loop).
    """
    if start >= end:
        return _DONE
    cursor = decode(token, Cursor(to_millis(start), max(to_millis(end) - to_millis(start), 1)))
    params: dict[str, object] = {"limit": DATASET_PAGE_LIMIT}
    if cursor.provider_token:
        params["pageToken"] = cursor.provider_token
    url = dataset_url(ctx.base_url, SLEEP_SEGMENTS_SOURCE, to_nanos(start), to_nanos(end))
    try:
        body = ctx.api.get_json(url, params)
    except ProviderRejected as error:
        if cursor.provider_token is None and error.status in (400, 404):
            log.info("google fit has no merged sleep stream for this user (HTTP %s)", error.status)
            return Page((), None)
        raise
    points = items(body, "point")
    kept = [p for p in points if _within(segment_end(p), start, end)]
    provider_next = body.get("nextPageToken") if isinstance(body, dict) else None
    following = None
    if points and isinstance(provider_next, str) and provider_next and provider_next != cursor.provider_token:
        following = Cursor(cursor.start_ms, cursor.length_ms, provider_next)
    return Page(map_sleep_segments(kept, ctx.individual_id, ctx.source), encode(following))


def _within(value: datetime | None, start: datetime, end: datetime) -> bool:
    return value is not None and start <= value < end


def _aggregate_stream(group: AggregateGroup) -> Stream:
    return Stream(name=group.name, scopes=(group.scope,), max_window=MAX_AGGREGATE_SPAN,
                  fetch_page=partial(fetch_aggregate, group=group), description=group.description,
                  tags=tuple(spec.data_type for spec in group.specs))


STREAMS: tuple[Stream, ...] = (
    *(_aggregate_stream(group) for group in AGGREGATE_GROUPS),
    Stream(name="sessions", scopes=(read_scope("activity"),), max_window=YEAR_WINDOW, fetch_page=fetch_sessions,
           description="Workout and sleep sessions", tags=("sessions",)),
    Stream(name="sleep_stages", scopes=(read_scope("sleep"),), max_window=YEAR_WINDOW,
           fetch_page=fetch_sleep_stages, description="Sleep stages of the merged sleep.segment stream",
           tags=("com.google.sleep.segment",)),
)
