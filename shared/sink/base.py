"""The RecordSink protocol every sink implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from shared.contract.records import Record

DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024  # Event Hubs Standard tier; Basic is 256 KiB


class RecordSink(Protocol):
    """Delivers Personicle records; `send` returns only once every record is confirmed delivered."""

    def send(self, records: Sequence[Record]) -> None:
        """Validate then deliver every record.

        Raises:
            RecordValidationError: a record breaks the contract (stream and field named); nothing of
                this call was sent.
            SinkError: delivery was not confirmed for every record; retrying the call re-sends them
                with the same record ids.
        """
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...
