"""The one clock: every datetime in the app is timezone-aware UTC."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

UTC = timezone.utc
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)
