"""Poll Storage queues for queue-triggered functions with the Functions host's retry semantics.

Per message, as the host's QueueProcessor does: a message already dequeued more than
maxDequeueCount times goes straight to `<queue>-poison`; otherwise the handler runs; success
deletes the message; failure moves it to `<queue>-poison` when its dequeue count has reached
maxDequeueCount (so it is attempted maxDequeueCount times) and otherwise makes it visible again
after `visibilityTimeout`. A base64 message that cannot be decoded is poisoned without a run.
The poison copy keeps the stored text, so its body is intact in the same encoding.
"""

from __future__ import annotations

import base64
import binascii
import logging
import random
import threading
import uuid
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from azure.functions.queue import QueueMessage as TriggerMessage
from azure.core.exceptions import AzureError, HttpResponseError, ResourceExistsError, ResourceNotFoundError
from azure.storage.queue import ExponentialRetry, QueueClient, QueueMessage

from devtools.localhost.index import QueueFunction
from devtools.localhost.invoke import invoke
from devtools.localhost.settings import HostConfigError, QueueOptions

log = logging.getLogger("devtools.localhost")

MIN_POLLING_INTERVAL = 0.1
POISON_SUFFIX = "-poison"


def connection_string(connection: str, environ: Mapping[str, str], function_name: str) -> str:
    """Look up a connection setting as the host does (`AzureWebJobs<name>` first, then `<name>`).

    Raises:
        HostConfigError: neither setting is present.
    """
    for name in (f"AzureWebJobs{connection}", connection):
        value = environ.get(name, "").strip()
        if value:
            return value
    raise HostConfigError(f"function {function_name!r}: connection setting {connection!r} is not set")


def _gone(error: HttpResponseError) -> bool:
    code = getattr(error, "error_code", None) or ""
    return isinstance(error, ResourceNotFoundError) or code in ("PopReceiptMismatch", "MessageNotFound")


class QueueWorker:
    """Receive, dispatch and settle the messages of one queue-triggered function."""

    def __init__(self, function: QueueFunction, options: QueueOptions, environ: Mapping[str, str],
                 pool: ThreadPoolExecutor, processing_visibility: timedelta) -> None:
        self.function = function
        self._options = options
        self._pool = pool
        self._receive_visibility = max(1, int(processing_visibility.total_seconds()))
        conn = connection_string(function.connection, environ, function.name)
        # Short client retries: the poll loop is the retry, and a stopped Azurite should fail fast.
        retry = ExponentialRetry(initial_backoff=1, increment_base=2, retry_total=2, random_jitter_range=1)
        self._queue = QueueClient.from_connection_string(conn, function.queue_name, retry_policy=retry)
        self._poison = QueueClient.from_connection_string(
            conn, function.queue_name + POISON_SUFFIX, retry_policy=retry)
        self._in_flight = 0
        self._settled = threading.Condition()

    def ensure_queue(self) -> None:
        """Create the queue when it does not exist yet.

        Raises:
            HostConfigError: the storage account cannot be reached or refuses the request.
        """
        try:
            self._queue.create_queue()
        except ResourceExistsError:
            pass
        except AzureError as error:
            raise HostConfigError(
                f"function {self.function.name!r}: cannot create queue {self.function.queue_name!r} "
                f"with connection {self.function.connection!r} ({type(error).__name__})") from None

    def poll_once(self) -> list[Future[None]]:
        """Receive up to batchSize messages and hand each to the pool; return their futures."""
        pages = self._queue.receive_messages(
            messages_per_page=self._options.batch_size, max_messages=self._options.batch_size,
            visibility_timeout=self._receive_visibility)
        futures = []
        for message in pages:
            with self._settled:
                self._in_flight += 1
            future = self._pool.submit(self._settle_after, message)
            future.add_done_callback(self._log_host_failure)
            futures.append(future)
        return futures

    def run(self, stop: threading.Event) -> None:
        """Poll until `stop` is set, backing off up to maxPollingInterval while the queue is empty."""
        ceiling = max(MIN_POLLING_INTERVAL, self._options.max_polling_interval.total_seconds())
        delay = MIN_POLLING_INTERVAL
        while not stop.is_set():
            with self._settled:
                self._settled.wait_for(
                    lambda: self._in_flight <= self._options.new_batch_threshold or stop.is_set(), timeout=1)
                if self._in_flight > self._options.new_batch_threshold or stop.is_set():
                    continue
            try:
                received = len(self.poll_once())
            except AzureError as error:
                log.warning("queue %s: polling failed (%s); retrying", self.function.queue_name,
                            type(error).__name__)
                received = 0
            delay = MIN_POLLING_INTERVAL if received else min(delay * 2, ceiling)
            stop.wait(delay if received else delay * random.uniform(0.8, 1.0))

    def run_direct(self, text: str) -> None:
        """Run the handler once with `text` as the message body (admin invocation; no retry)."""
        now = datetime.now(timezone.utc)
        message = TriggerMessage(
            id=str(uuid.uuid4()), body=text.encode("utf-8"), dequeue_count=1, insertion_time=now,
            expiration_time=now + timedelta(days=7), time_next_visible=now, pop_receipt=None)
        try:
            invoke(self.function.name, self.function.handler, self.function.arg_name, message)
        except Exception:  # the host logs a failed on-demand run; there is no message to retry
            log.exception("Executed '%s' (Failed)", self.function.name)

    def _log_host_failure(self, future: Future[None]) -> None:
        error = None if future.cancelled() else future.exception()
        if error is not None:
            log.error("queue %s: message handling failed inside the local host", self.function.queue_name,
                      exc_info=error)

    def _settle_after(self, message: QueueMessage) -> None:
        try:
            self._process(message)
        except AzureError as error:
            log.warning("queue %s: message %s could not be settled (%s)", self.function.queue_name,
                        message.id, type(error).__name__)
        finally:
            with self._settled:
                self._in_flight -= 1
                self._settled.notify_all()

    def _decode(self, text: str) -> bytes:
        if self._options.message_encoding == "none":
            return text.encode("utf-8")
        return base64.b64decode("".join(text.split()), validate=True)

    def _process(self, message: QueueMessage) -> None:
        name, limit = self.function.name, self._options.max_dequeue_count
        raw = message.content or ""
        if message.dequeue_count is not None and message.dequeue_count > limit:
            self._move_to_poison(message, raw, f"dequeued {message.dequeue_count} times")
            return
        try:
            body = self._decode(raw)
        except (binascii.Error, ValueError):
            self._move_to_poison(message, raw, "its content is not valid base64")
            return
        trigger = TriggerMessage(
            id=message.id, body=body, dequeue_count=message.dequeue_count,
            insertion_time=message.inserted_on, expiration_time=message.expires_on,
            time_next_visible=message.next_visible_on, pop_receipt=message.pop_receipt)
        try:
            invoke(name, self.function.handler, self.function.arg_name, trigger)
        except Exception:  # the host's rule: a failed run is retried, then poisoned, never dropped
            log.exception("Executed '%s' (Failed, Id=%s, DequeueCount=%s)", name, message.id,
                          message.dequeue_count)
            if (message.dequeue_count or 0) >= limit:
                self._move_to_poison(message, raw, f"it reached maxDequeueCount of {limit}")
            else:
                self._release(message)
            return
        self._delete(message)

    def _release(self, message: QueueMessage) -> None:
        try:
            self._queue.update_message(
                message.id, pop_receipt=message.pop_receipt,
                visibility_timeout=int(self._options.visibility_timeout.total_seconds()))
        except HttpResponseError as error:
            if not _gone(error):
                raise

    def _delete(self, message: QueueMessage) -> None:
        try:
            self._queue.delete_message(message.id, message.pop_receipt)
        except HttpResponseError as error:
            if not _gone(error):
                raise

    def _move_to_poison(self, message: QueueMessage, raw: str, reason: str) -> None:
        poison_name = self.function.queue_name + POISON_SUFFIX
        log.warning("Message %s moved to queue '%s' because %s", message.id, poison_name, reason)
        try:
            self._poison.send_message(raw)
        except ResourceNotFoundError:
            try:
                self._poison.create_queue()
            except ResourceExistsError:
                pass
            self._poison.send_message(raw)
        self._delete(message)
