"""Read the sink's files as they grow: by inode and byte offset, whole lines only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from devtools.personicle_store.tables import SCHEMA, create_schema, store_line


def sink_files(directory: Path) -> list[Path]:
    """Return the sink's files in the order their lines were written (rotated ones first, per hub)."""
    return sorted(directory.glob("*.jsonl"))


def ingest_once(database: Any, directory: Path, created: set[str]) -> int:
    """Store every complete line not read yet; return how many lines were read."""
    read = 0
    with database.transaction() as cursor:
        create_schema(cursor)
        cursor.execute(f"SELECT inode, offset_bytes FROM {SCHEMA}.positions")
        positions = dict(cursor.fetchall())
    for path in sink_files(directory):
        try:
            inode, size = path.stat().st_ino, path.stat().st_size
        except FileNotFoundError:
            continue  # rotated away meanwhile: its inode is read under the new name next time
        start = positions.get(inode, 0)
        if size <= start:
            continue
        with open(path, "rb") as file:
            file.seek(start)
            chunk = file.read(size - start)
        complete = chunk[: chunk.rfind(b"\n") + 1]  # a line still being written waits for the next round
        if not complete:
            continue
        with database.transaction() as cursor:
            for raw in complete.splitlines():
                store_line(cursor, json.loads(raw), created)
                read += 1
            cursor.execute(
                f"INSERT INTO {SCHEMA}.positions (inode, offset_bytes) VALUES (%s, %s)"
                " ON CONFLICT (inode) DO UPDATE SET offset_bytes = EXCLUDED.offset_bytes",
                (inode, start + len(complete)))
    return read


def forget_missing_files(database: Any, directory: Path) -> None:
    """Drop positions of inodes no file has any more (deleted sink files)."""
    alive = [path.stat().st_ino for path in sink_files(directory) if path.exists()]
    with database.transaction() as cursor:
        cursor.execute(f"DELETE FROM {SCHEMA}.positions WHERE NOT (inode = ANY(%s))", (alive or [0],))


