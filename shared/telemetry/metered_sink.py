"""A sink that counts what the real sink confirmed, by provider, stream and kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shared.telemetry.signals import count_records_sent


class MeteredSink:
    """Delegate to `sink`; after each confirmed send, count its records (`source` names the provider)."""

    def __init__(self, sink: Any, provider_of_source: dict[str, str]) -> None:
        self._sink = sink
        self._provider_of_source = provider_of_source

    def send(self, records: Sequence[Any]) -> None:
        """Deliver, then count (a failed send counts nothing)."""
        self._sink.send(records)
        by_provider: dict[str, list[Any]] = {}
        for record in records:
            provider = self._provider_of_source.get(getattr(record, "source", ""), "unknown")
            by_provider.setdefault(provider, []).append(record)
        for provider, sent in by_provider.items():
            count_records_sent(provider, sent)

    def close(self) -> None:
        """Close the real sink."""
        self._sink.close()
