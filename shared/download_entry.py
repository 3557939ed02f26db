"""Entry point of the queue-triggered download functions."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def handle_download_message(provider: str, body: bytes, *, dequeue_count: int) -> None:
    """Run the DownloadJob in `body` for `provider`.

    Raises:
        NotImplementedError: downloads are not built yet; the message is kept (retried, then poisoned).
    """
    log.error("download for %s is not implemented yet (attempt %d); the message is kept", provider, dequeue_count)
    raise NotImplementedError(f"download jobs for {provider} are not implemented yet")
