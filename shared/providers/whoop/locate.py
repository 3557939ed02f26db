"""Find the record a WHOOP notification names, as a window its stream reads (docs/providers/whoop.md 7.2).

Sleeps and workouts are read by id and kept by their `start`. A recovery notification carries the
UUID of the sleep it belongs to, not of the recovery: the sleep names its `cycle_id`, and
`/v2/cycle/{cycle_id}/recovery` is the recovery, kept by its `created_at`. A record that is gone
(404: deleted, or a recovery not scored yet) has no window.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared.errors import ProviderRejected
from shared.providers.whoop.fetch import api_url
from shared.providers.whoop.map_values import created_of, start_of
from shared.sync.streams import StreamContext

# The window around the instant a record is kept by (streams keep what lies in [start, end)).
SPAN = timedelta(seconds=1)
SLEEP_PATH, WORKOUT_PATH, CYCLE_PATH = "v2/activity/sleep", "v2/activity/workout", "v2/cycle"


def locate(ctx: StreamContext, stream: str, object_id: str) -> tuple[datetime, datetime] | None:
    """Return the window holding the notified record of `stream`, or None when it is gone."""
    if stream == "sleep":
        return _window(start_of, _record(ctx, f"{SLEEP_PATH}/{object_id}"))
    if stream == "workout":
        return _window(start_of, _record(ctx, f"{WORKOUT_PATH}/{object_id}"))
    if stream == "recovery":
        sleep = _record(ctx, f"{SLEEP_PATH}/{object_id}")
        cycle = sleep.get("cycle_id") if sleep is not None else None
        if type(cycle) is not int:
            return None
        return _window(created_of, _record(ctx, f"{CYCLE_PATH}/{cycle}/recovery"))
    return None


def _record(ctx: StreamContext, path: str) -> dict[str, Any] | None:
    try:
        body = ctx.api.get_json(api_url(ctx.base_url, path))
    except ProviderRejected as error:
        if error.status == 404:
            return None
        raise
    return body if isinstance(body, dict) else None


def _window(anchor: Any, record: dict[str, Any] | None) -> tuple[datetime, datetime] | None:
    moment = anchor(record) if record is not None else None
    return (moment, moment + SPAN) if moment is not None else None
