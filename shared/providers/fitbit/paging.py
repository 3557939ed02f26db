"""Our page tokens for the Google Health streams, and the keyset cut that survives tie drops.

Records sharing a timestamp with the last record of a page were once seen dropped at the page
boundary (docs/providers/fitbit.md 3.12, single source, UNCERTAIN), and page tokens have an
undocumented lifetime. So when a page comes back in time order (list is newest first, reconcile's
order is undocumented), the next request narrows the time filter instead of sending the
provider's token: the page's trailing run of equal times is held back and read again in full by
the next request. Pages in no time order fall back to the provider's token.

The token handed to the engine is a small JSON object (opaque to it):
    {"v": 1, "lo": "<RFC 3339>", "hi": "<RFC 3339>", "pt": "<provider token>", "all": true}
`lo`/`hi` narrow the window, `pt` is the provider's token for a request with exactly those
bounds, `all` marks the unfiltered sleep fallback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from shared.providers import page_tokens
from shared.providers.fitbit.map_values import format_timestamp, timestamp

T = TypeVar("T")
_OWNER = "google health"


@dataclass(frozen=True)
class Continuation:
    """Where the next request of a window starts."""

    lower: datetime | None = None
    upper: datetime | None = None
    provider_token: str | None = None
    unfiltered: bool = False

    def bounds(self, start: datetime, end: datetime) -> tuple[datetime, datetime]:
        """Return the window [start, end) narrowed by this continuation."""
        return self.lower or start, self.upper or end


FIRST = Continuation()


def encode(continuation: Continuation | None) -> str | None:
    """Return the engine-facing token of a continuation (None: the window is done)."""
    if continuation is None:
        return None
    lower, upper = continuation.lower, continuation.upper
    return page_tokens.dump({"lo": format_timestamp(lower) if lower else None,
                             "hi": format_timestamp(upper) if upper else None,
                             "pt": continuation.provider_token, "all": continuation.unfiltered})


def decode(token: str | None) -> Continuation:
    """Return the continuation of an engine-facing token (None: the window's first page).

    Raises:
        JobError: the token is not one of ours.
    """
    if not token:
        return FIRST
    data = page_tokens.load(token, _OWNER)
    lower = page_tokens.time(data, "lo", timestamp, _OWNER)
    upper = page_tokens.time(data, "hi", timestamp, _OWNER)
    return Continuation(lower, upper, page_tokens.text(data, "pt"), data.get("all") is True)


def cut(items: Sequence[T], times: Sequence[datetime], provider_next: str | None,
        current: Continuation) -> tuple[Sequence[T], Continuation | None]:
    """Return the items to emit now and the next continuation of a time-filtered window.

    Args:
        items: the page's mapped items, in the provider's order.
        times: each item's filter time (interval start or sample time), same order.
        provider_next: the provider's next page token (None at the end).
        current: the continuation the page was requested with.
    """
    if provider_next is None:
        return items, None
    run = _trailing_run(times)
    if run > 0 and _ordered(times, descending=True):
        # Newest first: read everything older than the oldest time still emitted.
        return items[:run], Continuation(current.lower, times[run - 1])
    if run > 0 and _ordered(times, descending=False):
        # Oldest first: read from the held-back time on.
        return items[:run], Continuation(times[run], current.upper)
    return items, Continuation(current.lower, current.upper, provider_next)


def _trailing_run(times: Sequence[datetime]) -> int:
    """Return the index where the final run of equal times starts (0: all equal or empty)."""
    if not times:
        return 0
    last = times[-1]
    index = len(times) - 1
    while index > 0 and times[index - 1] == last:
        index -= 1
    return index


def _ordered(times: Sequence[datetime], *, descending: bool) -> bool:
    if descending:
        return all(a >= b for a, b in zip(times, times[1:]))
    return all(a <= b for a, b in zip(times, times[1:]))
