"""What the demo page shows of one user: a week of heart rate and steps, and sleep and workouts, per source."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from devtools.personicle_store.tables import SCHEMA, table_name
from shared.contract.records import STREAM_PREFIX

HEART_RATE = STREAM_PREFIX + "heartrate"
STEPS = (STREAM_PREFIX + "step.count", STREAM_PREFIX + "interval.step.count")


def _table_exists(cursor: Any, name: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", (f"{SCHEMA}.{name}",))
    return bool(cursor.fetchone()[0])


def user_week(cursor: Any, individual_id: str, *, now: datetime, days: int = 7) -> dict[str, Any]:
    """Return hourly heart rate (mean), hourly steps (sum) and events of the last `days`, per source."""
    since = (now - timedelta(days=days)).replace(tzinfo=None)
    series: dict[str, dict[str, list[list[Any]]]] = {"heart_rate": {}, "steps": {}}
    if _table_exists(cursor, table_name(HEART_RATE)):
        cursor.execute(
            f"SELECT source, date_trunc('hour', timestamp), round(avg(value)::numeric, 1) FROM {SCHEMA}.{table_name(HEART_RATE)}"
            " WHERE individual_id = %s AND timestamp >= %s GROUP BY 1, 2 ORDER BY 1, 2", (individual_id, since))
        for source, hour, value in cursor.fetchall():
            series["heart_rate"].setdefault(source, []).append([hour.isoformat() + "Z", float(value)])
    for stream in STEPS:
        name = table_name(stream)
        if not _table_exists(cursor, name):
            continue
        column = "start_time" if "interval" in stream else "timestamp"
        cursor.execute(
            f"SELECT source, date_trunc('hour', {column}), sum(value) FROM {SCHEMA}.{name}"
            f" WHERE individual_id = %s AND {column} >= %s GROUP BY 1, 2 ORDER BY 1, 2", (individual_id, since))
        for source, hour, value in cursor.fetchall():
            series["steps"].setdefault(source, []).append([hour.isoformat() + "Z", float(value)])
    cursor.execute(
        f"SELECT source, event_type, event_name, start_time, end_time, count(*) FROM {SCHEMA}.events"
        " WHERE user_id = %s AND end_time >= %s AND (event_type LIKE %s OR event_type LIKE %s)"
        " AND event_type NOT LIKE %s GROUP BY 1, 2, 3, 4, 5 ORDER BY 4",
        (individual_id, since, "%.events.sleep", "%.events.exercise%", "%.stage.%"))
    events = [{"source": source, "event_type": event_type, "event_name": name, "start": start.isoformat() + "Z",
               "end": end.isoformat() + "Z", "copies": copies}
              for source, event_type, name, start, end, copies in cursor.fetchall()]
    return {"individual_id": individual_id, "since": since.isoformat() + "Z", "series": series, "events": events}
