"""Azure clients of the Event Hubs sink, built on first use (the SDKs load only when needed)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from shared.config import Settings, SettingsError

ProducerFactory = Callable[[str], Any]
RegistryFactory = Callable[[], Any]


def check_eventhub_settings(settings: Settings) -> None:
    """Fail fast when the settings cannot reach Event Hubs or, for Avro, the Schema Registry.

    Raises:
        SettingsError: naming the missing settings.
    """
    if not (settings.eventhub_connection_string or settings.eventhub_namespace):
        raise SettingsError("missing setting EVENTHUB_FULLY_QUALIFIED_NAMESPACE (or EVENTHUB_CONNECTION_STRING)")
    if settings.eventhub_encoding == "avro" and not registry_namespace(settings):
        raise SettingsError("missing setting SCHEMA_REGISTRY_FULLY_QUALIFIED_NAMESPACE")


def registry_namespace(settings: Settings) -> str | None:
    """Return the Schema Registry host: its own setting, the Event Hubs namespace, or the connection string's."""
    if settings.schema_registry_namespace:
        return settings.schema_registry_namespace
    if settings.eventhub_namespace:
        return settings.eventhub_namespace
    match = re.search(r"Endpoint=sb://([^/;]+)", settings.eventhub_connection_string or "", re.IGNORECASE)
    return match.group(1) if match else None


class AzureClients:
    """One DefaultAzureCredential shared by every client, created lazily and closed once."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._credential: Any = None
        self._lock = threading.Lock()

    def credential(self) -> Any:
        """Return the shared DefaultAzureCredential."""
        with self._lock:
            if self._credential is None:
                from azure.identity import DefaultAzureCredential

                self._credential = DefaultAzureCredential()
            return self._credential

    def producer(self, hub: str) -> Any:
        """Return a new EventHubProducerClient for `hub` (connection string first, else identity)."""
        from azure.eventhub import EventHubProducerClient

        if self._settings.eventhub_connection_string:
            return EventHubProducerClient.from_connection_string(
                self._settings.eventhub_connection_string, eventhub_name=hub)
        return EventHubProducerClient(fully_qualified_namespace=self._settings.eventhub_namespace,
                                      eventhub_name=hub, credential=self.credential())

    def schema_registry(self) -> Any:
        """Return a SchemaRegistryClient signed in with the shared credential."""
        from azure.schemaregistry import SchemaRegistryClient

        return SchemaRegistryClient(fully_qualified_namespace=registry_namespace(self._settings),
                                    credential=self.credential())

    def close(self) -> None:
        """Close the credential if one was created."""
        with self._lock:
            if self._credential is not None:
                self._credential.close()
                self._credential = None
