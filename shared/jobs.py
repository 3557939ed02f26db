"""DownloadJob: versioned JSON holding ids only (never tokens), and how it is queued."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.errors import JobError

JOB_VERSION = 1
REASONS = ("backfill", "incremental", "manual", "continuation", "history", "reconcile")


@dataclass(frozen=True)
class DownloadJob:
    """One unit of download work for one connection."""

    connection_id: uuid.UUID
    provider: str
    reason: str
    streams: tuple[str, ...] = ()
    window_start: datetime | None = None
    window_end: datetime | None = None

    def to_json(self) -> str:
        """Return the queue message text."""
        return json.dumps({
            "version": JOB_VERSION,
            "connection_id": str(self.connection_id),
            "provider": self.provider,
            "reason": self.reason,
            "streams": list(self.streams),
            "window_start": self.window_start.isoformat() if self.window_start else None,
            "window_end": self.window_end.isoformat() if self.window_end else None,
        }, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> DownloadJob:
        """Parse a queue message.

        Raises:
            JobError: naming what is wrong (never echoing the message).
        """
        try:
            data = json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise JobError("the message is not JSON") from None
        if not isinstance(data, dict):
            raise JobError("the message is not a JSON object")
        if data.get("version") != JOB_VERSION:
            raise JobError(f"unsupported job version (expected {JOB_VERSION})")
        try:
            connection_id = uuid.UUID(str(data["connection_id"]))
        except (KeyError, ValueError):
            raise JobError("connection_id is missing or not a UUID") from None
        provider, reason, streams = data.get("provider"), data.get("reason"), data.get("streams", [])
        if not isinstance(provider, str) or not provider:
            raise JobError("provider is missing")
        if reason not in REASONS:
            raise JobError(f"reason must be one of {', '.join(REASONS)}")
        if not isinstance(streams, list) or not all(isinstance(s, str) for s in streams):
            raise JobError("streams must be a list of names")
        return cls(connection_id, provider, reason, tuple(streams),
                   _time(data.get("window_start"), "window_start"), _time(data.get("window_end"), "window_end"))


def _time(value: Any, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise JobError(f"{name} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise JobError(f"{name} has no time zone")
    return parsed


def enqueue_job(job: DownloadJob, *, delay_seconds: int = 0) -> str:
    """Queue a job on its provider's download queue; return the message id."""
    from shared.queues import download_queue, get_queue_sender

    return get_queue_sender().send(download_queue(job.provider), job.to_json(), delay_seconds=delay_seconds)
