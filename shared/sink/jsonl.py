"""Local sink: one JSON line per message in `<LOCAL_SINK_DIR>/<hub>.jsonl`, fsynced before `send` returns.

Each line is what the Event Hubs sink would send, wrapped with its routing:

    {"record_id": "...", "kind": "event" | "datastream", "partition_key": "<individual_id>", "body": {...}}

`body` is the contract's wire dict (the JSON encoding's message body); oversized packets are split
exactly as for Event Hubs, so record ids match. Lines are appended; a re-sent record appears again
with the same `record_id`, which is how a reader recognises it (as Personicle's consumers do).

Files rotate by size: once `<hub>.jsonl` would grow past `LOCAL_SINK_ROTATE_BYTES`, it is renamed
`<hub>.<n>.jsonl` (n = 000001, 000002, ...) and a new `<hub>.jsonl` is started, so sorted file names
list a hub's lines in the order they were written. A rename keeps the file's inode: a reader that
tracks its position by inode carries on where it was.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

from shared.config import Settings
from shared.contract.dictionary import DataDictionary, load_dictionary
from shared.contract.records import Record
from shared.errors import SinkError
from shared.fastjson import dumps_validated
from shared.sink.base import DEFAULT_MAX_MESSAGE_BYTES
from shared.sink.prepare import Outgoing, prepare

_LOCK = threading.Lock()


def jsonl_line(item: Outgoing) -> str:
    """Return the line written for one message (with its trailing newline)."""
    line = {"record_id": item.record_id, "kind": item.kind, "partition_key": item.partition_key, "body": item.wire}
    return dumps_validated(line).decode("utf-8") + "\n"


class JsonlSink:
    """Appends records to local JSONL files, one per hub."""

    def __init__(self, settings: Settings, *, max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
                 dictionary: DataDictionary | None = None) -> None:
        self._settings = settings
        self._directory = Path(settings.local_sink_dir)
        self._rotate_bytes = settings.local_sink_rotate_bytes
        self._max_message_bytes = max_message_bytes
        self._dictionary = dictionary or load_dictionary()

    def path(self, hub: str) -> Path:
        """Return the file of a hub."""
        return self._directory / f"{hub}.jsonl"

    def send(self, records: Sequence[Record]) -> None:
        """Validate, split and append every record; returns after the files are fsynced.

        Raises:
            RecordValidationError: a record breaks the contract; nothing was written.
            SinkError: a file could not be written.
        """
        outgoing = prepare(records, events_hub=self._settings.events_hub,
                           datastreams_hub=self._settings.datastreams_hub,
                           max_message_bytes=self._max_message_bytes, dictionary=self._dictionary)
        by_hub: dict[str, list[str]] = {}
        for item in outgoing:
            by_hub.setdefault(item.hub, []).append(jsonl_line(item))
        try:
            self._directory.mkdir(parents=True, exist_ok=True)
            with _LOCK:
                for hub, lines in by_hub.items():
                    data = "".join(lines).encode("utf-8")
                    self._rotate_if_full(hub, len(data))
                    _append(self.path(hub), data)
        except OSError as exc:
            raise SinkError(f"local sink could not write to {self._directory}: {exc.strerror}") from exc

    def close(self) -> None:
        """Nothing to release: files are opened per call."""

    def _rotate_if_full(self, hub: str, incoming: int) -> None:
        """Rename the hub's file to the next `<hub>.<n>.jsonl` when `incoming` bytes would overfill it."""
        current = self.path(hub)
        try:
            size = current.stat().st_size
        except FileNotFoundError:
            return
        if size == 0 or size + incoming <= self._rotate_bytes:
            return
        numbers = [int(found.name.split(".")[-2]) for found in self._directory.glob(f"{hub}.*.jsonl")
                   if found.name.split(".")[-2].isdigit()]
        current.rename(self._directory / f"{hub}.{max(numbers, default=0) + 1:06d}.jsonl")


def _append(path: Path, data: bytes) -> None:
    created = not path.exists()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        view = memoryview(data)
        while view:
            written = os.write(descriptor, view)
            view = view[written:]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if created:
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
