"""The stand-in's tables, shaped as Personicle's consumers keep them, and the inserts into them."""

from __future__ import annotations

import json
import re
from typing import Any

from shared.contract.dictionary import load_dictionary
from shared.contract.records import STREAM_PREFIX

SCHEMA = "personicle_store"
_SQL_TYPES = {"Integer": "bigint", "Numeric": "double precision", "Json": "jsonb"}


def table_name(stream_name: str) -> str:
    """Return the table of a datastream: its name without the prefix, dots and dashes as underscores."""
    short = stream_name.removeprefix(STREAM_PREFIX)
    return "ds_" + re.sub(r"[^a-z0-9_]", "_", short.lower())


def create_schema(cursor: Any) -> None:
    """Create the schema, the events table and the reading positions (idempotent)."""
    cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {SCHEMA}.events (id bigserial PRIMARY KEY, user_id text NOT NULL,"
        " start_time timestamp NOT NULL, end_time timestamp NOT NULL, event_name text, event_type text NOT NULL,"
        " parameters jsonb, source text NOT NULL)")
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA}.positions (inode bigint PRIMARY KEY, offset_bytes bigint NOT NULL)")


def _ensure_stream_table(cursor: Any, body: dict[str, Any], created: set[str]) -> tuple[str, bool]:
    name = table_name(body["streamName"])
    interval = "datastreams.interval" in body["streamName"]
    if name not in created:
        entry = load_dictionary().streams.get(body["streamName"])
        value_type = _SQL_TYPES[entry.value_type] if entry else "jsonb"
        times = "start_time timestamp NOT NULL, end_time timestamp NOT NULL" if interval else "timestamp timestamp NOT NULL"
        key = "individual_id, start_time, end_time, source" if interval else "individual_id, timestamp, source"
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {SCHEMA}.{name} (individual_id text NOT NULL, {times}, source text NOT NULL,"
            f" value {value_type} NOT NULL, unit text, confidence real, PRIMARY KEY ({key}))")
        created.add(name)
    return name, interval


def store_line(cursor: Any, line: dict[str, Any], created: set[str]) -> int:
    """Store one sink line; return the rows inserted (0 for points already stored)."""
    body = line["body"]
    if line["kind"] == "event":
        cursor.execute(
            f"INSERT INTO {SCHEMA}.events (user_id, start_time, end_time, event_name, event_type, parameters, source)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (body["individual_id"], body["start_time"], body["end_time"], body.get("event_name"), body["event_type"],
             body.get("parameters"), body["source"]))
        return 1
    name, interval = _ensure_stream_table(cursor, body, created)
    inserted = 0
    for point in body["dataPoints"]:
        value = point["value"]
        value = json.dumps(value) if isinstance(value, (list, dict)) else value
        if interval:
            cursor.execute(
                f"INSERT INTO {SCHEMA}.{name} (individual_id, start_time, end_time, source, value, unit, confidence)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (body["individual_id"], point["start_time"], point["end_time"], body["source"], value, body.get("unit"),
                 body.get("confidence")))
        else:
            cursor.execute(
                f"INSERT INTO {SCHEMA}.{name} (individual_id, timestamp, source, value, unit, confidence)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (body["individual_id"], point["timestamp"], body["source"], value, body.get("unit"),
                 body.get("confidence")))
        inserted += cursor.rowcount
    return inserted
