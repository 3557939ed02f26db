"""Turn verified notifications into pending windows and queued jobs: one job per connection and stream.

Within one transaction: the replay guard, the provider's last-notification time, each notification's
connection (only `active` ones count; the rest are acknowledged and dropped), its streams' pending
windows widened (a notification naming only an object: the object kept for the job to locate), and
a job queued for each window that has none waiting. A queue failure rolls it
all back, so the provider's retry finds nothing half done.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shared.jobs import DownloadJob
from shared.providers.base import Provider
from shared.store import webhooks as webhook_store
from shared.webhooks.receiver import Notification, Verified, streams_of

log = logging.getLogger(__name__)
# An object-only notification queues its stream's job with this recent window; the job adds the object's own.
OBJECT_NOTICE = timedelta(minutes=1)
Enqueue = Callable[[DownloadJob], Any]


@dataclass
class Accepted:
    """What one request led to (counts only)."""

    replayed: bool = False
    jobs: list[DownloadJob] = field(default_factory=list)
    dropped: int = 0
    windows: int = 0


def replay_digest(provider: str, replay_key: bytes) -> bytes:
    """Return the digest remembered for a notification."""
    return hashlib.sha256(provider.encode() + b"\0" + replay_key).digest()


def accept(cursor: Any, provider: Provider, verified: Verified, *, enqueue: Enqueue, now: datetime) -> Accepted:
    """Record and queue the work of verified notifications (inside the caller's transaction)."""
    result = Accepted()
    if not webhook_store.first_sighting(cursor, replay_digest(provider.name, verified.replay_key), now=now):
        result.replayed = True
        return result
    webhook_store.note_notification(cursor, provider.name, now=now)
    streams = provider.streams()
    for notification in verified.notifications:
        _accept_one(cursor, provider, streams, notification, result, now)
    for job in result.jobs:
        enqueue(job)
    return result


def _accept_one(cursor: Any, provider: Provider, streams: Any, notification: Notification, result: Accepted,
                now: datetime) -> None:
    connection = webhook_store.connection_of_account(cursor, provider.name, notification.provider_user_id)
    if connection is None or connection.status != "active":
        result.dropped += 1
        return
    for stream in streams_of(notification.data_type, streams):
        if not stream.allowed_by(connection.scopes):
            continue
        if not notification.windows:
            _accept_object(cursor, connection.id, provider.name, stream.name, notification, result, now)
            continue
        for start, end in notification.windows:
            if notification.operation == "delete":
                webhook_store.record_deletion(cursor, connection.id, stream.name, start=start, end=end,
                                              object_id=notification.object_id, now=now)
            result.windows += 1
            if webhook_store.widen_window(cursor, connection.id, stream.name, start=start, end=end, now=now):
                result.jobs.append(DownloadJob(connection.id, provider.name, "webhook", (stream.name,)))


def _accept_object(cursor: Any, connection_id: Any, provider: str, stream: str, notification: Notification,
                   result: Accepted, now: datetime) -> None:
    """Keep a notification that names an object but no times.

    A deletion is recorded with the time it was notified (the object is gone, so nothing can locate
    it, and nothing is re-read); a change is kept for the job to locate, and the job is queued.
    """
    if not notification.object_id:
        result.dropped += 1
        return
    notice = (now - OBJECT_NOTICE, now)
    if notification.operation == "delete":
        webhook_store.record_deletion(cursor, connection_id, stream, start=notice[0], end=notice[1],
                                      object_id=notification.object_id, now=now)
        return
    webhook_store.note_object(cursor, connection_id, stream, notification.object_id, now=now)
    result.windows += 1
    if webhook_store.widen_window(cursor, connection_id, stream, start=notice[0], end=notice[1], now=now):
        result.jobs.append(DownloadJob(connection_id, provider, "webhook", (stream,)))
