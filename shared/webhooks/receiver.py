"""What a provider's webhook receiver is given and returns: the request, verified notifications, refusals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from shared.providers.base import ProviderSettings

Operation = Literal["upsert", "delete"]


@dataclass(frozen=True)
class Inbound:
    """An HTTP request to a webhook endpoint: method, lower-cased header names, query, raw body."""

    method: str
    headers: Mapping[str, str]
    params: Mapping[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        """Return a header's value by case-insensitive name."""
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class Reply:
    """The answer to send: status and an optional JSON body."""

    status: int
    body: Any = None


@dataclass(frozen=True)
class Notification:
    """One change the provider announced: whose, which data type, what happened, over which times.

    A notification naming an object but no times (`windows` empty, `object_id` set) is located by the
    job through `Webhook.locate`, which may call the provider's API.
    """

    provider_user_id: str
    data_type: str
    operation: Operation
    windows: tuple[tuple[datetime, datetime], ...]
    object_id: str | None = None


@dataclass(frozen=True)
class Verified:
    """The notifications of an authenticated request, and the bytes that identify it against replays."""

    notifications: tuple[Notification, ...]
    replay_key: bytes


class WebhookRefused(Exception):
    """The request is not an authentic, fresh notification (its status says how to answer)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class WebhookReceiver(Protocol):
    """A provider's webhook: handshakes, authentication and parsing (pure: no database, no queue)."""

    ack_status: int  # the answer to an accepted notification
    replay_status: int  # the answer to a notification already acted on

    def handshake(self, request: Inbound, settings: ProviderSettings) -> Reply | None:
        """Answer an endpoint-verification request; None when `request` is not one."""

    def verify(self, request: Inbound, settings: ProviderSettings, now: datetime) -> Verified:
        """Authenticate and parse a notification.

        Raises:
            WebhookRefused: forged, stale, unsigned or malformed (nothing is queued).
        """


def streams_of(data_type: str, streams: Sequence[Any]) -> list[Any]:
    """Return the provider streams a notified data type feeds (by the streams' tags)."""
    return [stream for stream in streams if data_type in stream.tags]
