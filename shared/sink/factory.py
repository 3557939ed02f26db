"""Pick the record sink named by the settings."""

from __future__ import annotations

from typing import Any

from shared.config import Settings
from shared.sink.base import RecordSink


def create_sink(settings: Settings, **options: Any) -> RecordSink:
    """Return a JsonlSink (`SINK_KIND=jsonl`) or an EventHubSink (`SINK_KIND=eventhub`).

    Either is wrapped so that extensions not enabled by `PERSONICLE_EXTENSIONS` are withheld.

    `options` go to the sink's constructor (e.g. `max_message_bytes`, or `producer_factory` and
    `schema_registry_factory` for an Event Hubs sink).

    Raises:
        SettingsError: the Event Hubs sink lacks its namespace or connection string.
    """
    from shared.sink.withhold import WithholdingSink

    options.setdefault("max_message_bytes", settings.eventhub_max_message_bytes)
    if settings.sink_kind == "jsonl":
        from shared.sink.jsonl import JsonlSink

        return WithholdingSink(JsonlSink(settings, **options), settings.personicle_extensions)
    from shared.sink.eventhub import EventHubSink

    return WithholdingSink(EventHubSink(settings, **options), settings.personicle_extensions)
