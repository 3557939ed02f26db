"""When each provider's webhooks last delivered a notification (their health, for the scheduler)."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def last_notification_at(cursor: Any, provider: str) -> datetime | None:
    """Return when the last webhook notification of `provider` was accepted, or None if never."""
    cursor.execute("SELECT last_seen_at FROM webhook_notifications WHERE provider = %s", (provider,))
    row = cursor.fetchone()
    return row[0] if row else None
