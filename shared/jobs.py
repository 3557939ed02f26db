"""DownloadJob: versioned JSON holding ids only (never tokens), and how it is queued."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.errors import JobError

JOB_VERSION = 1
REASONS = ("backfill", "incremental", "manual", "continuation", "webhook", "history", "reconcile")


@dataclass(frozen=True)
class Resume:
    """Where a continuation picks up inside a window: the stream's first window restarts at this page.

    `pages` counts the pages of the window already read, so the page cap spans jobs. A reader that
    ignores this member redoes the window from its start (records re-sent, none skipped).
    """

    stream: str
    window_start: datetime
    window_end: datetime
    page_token: str
    pages: int

    def to_data(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {"stream": self.stream, "window_start": self.window_start.isoformat(),
                "window_end": self.window_end.isoformat(), "page_token": self.page_token, "pages": self.pages}

    @classmethod
    def from_data(cls, data: Any) -> Resume:
        """Parse the JSON form.

        Raises:
            JobError: naming the malformed member.
        """
        if not isinstance(data, dict):
            raise JobError("resume must be an object")
        stream, token, pages = data.get("stream"), data.get("page_token"), data.get("pages")
        if not isinstance(stream, str) or not stream:
            raise JobError("resume.stream is missing")
        if not isinstance(token, str) or not token:
            raise JobError("resume.page_token is missing")
        if type(pages) is not int or pages < 1:
            raise JobError("resume.pages must be a positive integer")
        start = _time(data.get("window_start"), "resume.window_start")
        end = _time(data.get("window_end"), "resume.window_end")
        if start is None or end is None or start >= end:
            raise JobError("resume needs a window_start before its window_end")
        return cls(stream, start, end, token, pages)


@dataclass(frozen=True)
class DownloadJob:
    """One unit of download work for one connection."""

    connection_id: uuid.UUID
    provider: str
    reason: str
    streams: tuple[str, ...] = ()
    window_start: datetime | None = None
    window_end: datetime | None = None
    resume: Resume | None = None

    def to_json(self) -> str:
        """Return the queue message text (`resume` only when set, so other messages keep their old form)."""
        data: dict[str, Any] = {
            "version": JOB_VERSION,
            "connection_id": str(self.connection_id),
            "provider": self.provider,
            "reason": self.reason,
            "streams": list(self.streams),
            "window_start": self.window_start.isoformat() if self.window_start else None,
            "window_end": self.window_end.isoformat() if self.window_end else None,
        }
        if self.resume is not None:
            data["resume"] = self.resume.to_data()
        return json.dumps(data, separators=(",", ":"))

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
        resume = Resume.from_data(data["resume"]) if data.get("resume") is not None else None
        if resume is not None and (reason != "continuation" or not streams or streams[0] != resume.stream):
            raise JobError("resume belongs to a continuation whose first stream it names")
        return cls(connection_id, provider, reason, tuple(streams),
                   _time(data.get("window_start"), "window_start"), _time(data.get("window_end"), "window_end"),
                   resume)


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
