"""Put messages on the storage queues the download functions listen to.

Every producer and trigger agree on one encoding: base64 of UTF-8 text (`host.json`
`extensions.queues.messageEncoding`). Delayed messages use the queue's visibility timeout.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shared.config import Settings

MAX_VISIBILITY_DELAY_SECONDS = 7 * 24 * 3600
# Fail fast: the queue (or the caller) is the retry engine.
_CLIENT_OPTIONS = {"retry_total": 2, "connection_timeout": 5}


def download_queue(provider: str) -> str:
    """Return the queue name of a provider's download function."""
    from shared.providers import PROVIDERS

    return PROVIDERS[provider].queue


class QueueSender:
    """Send text messages to named queues, creating each queue once."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._credential: Any = None
        self._credential_lock = threading.Lock()
        self._ping_client: Any = None

    def _client(self, queue_name: str) -> Any:
        with self._lock:
            client = self._clients.get(queue_name)
            if client is None:
                client = self._make_client(queue_name)
                from azure.core.exceptions import ResourceExistsError

                try:
                    client.create_queue()
                except ResourceExistsError:
                    pass
                self._clients[queue_name] = client
            return client

    def _make_client(self, queue_name: str, **options: Any) -> Any:
        from azure.storage.queue import QueueClient, TextBase64EncodePolicy

        options = {**_CLIENT_OPTIONS, **options}
        policy = TextBase64EncodePolicy()
        if self._settings.storage_connection:
            return QueueClient.from_connection_string(
                self._settings.storage_connection, queue_name, message_encode_policy=policy, **options)
        return QueueClient(
            self._settings.storage_queue_service_uri, queue_name,
            credential=self.credential(), message_encode_policy=policy, **options)

    def credential(self) -> Any:
        """Return the one managed-identity credential of this sender (it caches its tokens)."""
        with self._credential_lock:
            if self._credential is None:
                from azure.identity import DefaultAzureCredential

                self._credential = DefaultAzureCredential()
            return self._credential

    def send(self, queue_name: str, text: str, *, delay_seconds: int = 0) -> str:
        """Enqueue `text`, invisible for `delay_seconds`; return the message id."""
        delay = max(0, min(int(delay_seconds), MAX_VISIBILITY_DELAY_SECONDS))
        message = self._client(queue_name).send_message(text, visibility_timeout=delay or None)
        return message.id

    def depth(self, queue_name: str) -> int:
        """Return the approximate number of messages in a queue (0 when it does not exist)."""
        from azure.core.exceptions import ResourceNotFoundError

        try:
            return int(self._make_client(queue_name).get_queue_properties().approximate_message_count or 0)
        except ResourceNotFoundError:
            return 0

    def ping(self) -> None:
        """Raise unless the queue service answers (once, quickly: a health check must not hang)."""
        from azure.core.exceptions import ResourceNotFoundError

        from shared.providers import PROVIDERS

        if self._ping_client is None:
            any_queue = next(iter(PROVIDERS.values())).queue
            self._ping_client = self._make_client(any_queue, retry_total=0, connection_timeout=3, read_timeout=3)
        try:
            self._ping_client.get_queue_properties()
        except ResourceNotFoundError:
            pass  # the service answered; the queue is created on first send


_sender: QueueSender | None = None


def get_queue_sender() -> QueueSender:
    """Return the process-wide queue sender."""
    global _sender
    if _sender is None:
        from shared.config import get_settings

        _sender = QueueSender(get_settings())
    return _sender
