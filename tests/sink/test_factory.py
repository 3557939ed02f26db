"""Sink selection from settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared.config import SettingsError
from shared.sink.azure_clients import AzureClients, registry_namespace
from shared.sink.eventhub import EventHubSink
from shared.sink.factory import create_sink
from shared.sink.jsonl import JsonlSink
from tests.sink.fakes import REQUIRED_SETTINGS as SETTINGS_ENV
from tests.sink.fakes import make_settings

ROOT = Path(__file__).resolve().parents[2]


def test_sink_kind_selects_the_sink(tmp_path):
    assert isinstance(create_sink(make_settings(SINK_KIND="jsonl", LOCAL_SINK_DIR=str(tmp_path))).inner, JsonlSink)
    sink = create_sink(make_settings(SINK_KIND="eventhub"))
    assert isinstance(sink.inner, EventHubSink)
    sink.close()


MISSING = {
    "no-namespace-nor-connection-string": ({"EVENTHUB_FULLY_QUALIFIED_NAMESPACE": ""},
                                           "EVENTHUB_FULLY_QUALIFIED_NAMESPACE"),
    "avro-without-registry-host": ({"EVENTHUB_FULLY_QUALIFIED_NAMESPACE": "", "EVENTHUB_ENCODING": "avro",
                                    "EVENTHUB_CONNECTION_STRING": "SharedAccessKeyName=a;SharedAccessKey=b"},
                                   "SCHEMA_REGISTRY_FULLY_QUALIFIED_NAMESPACE"),
}


@pytest.mark.parametrize("case", MISSING.values(), ids=MISSING.keys())
def test_missing_event_hubs_settings_fail_at_creation(case):
    values, name = case
    with pytest.raises(SettingsError, match=name):
        create_sink(make_settings(SINK_KIND="eventhub", **values))


def test_connection_string_endpoint_serves_as_registry_host():
    connection_string = "Endpoint=sb://pc-test.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abc"
    settings = make_settings(EVENTHUB_FULLY_QUALIFIED_NAMESPACE="", EVENTHUB_ENCODING="avro",
                             EVENTHUB_CONNECTION_STRING=connection_string)
    assert registry_namespace(settings) == "pc-test.servicebus.windows.net"
    sink = create_sink(settings)  # an Avro sink needs a registry host: this one has it from the string
    assert isinstance(sink.inner, EventHubSink)
    sink.close()


def test_creating_a_sink_loads_no_azure_sdk_until_it_sends():
    code = (
        "import sys\n"
        "from shared.config import load_settings\n"
        "from shared.sink.factory import create_sink\n"
        "sink = create_sink(load_settings())\n"
        "print(sorted(n for n in sys.modules if n.startswith(('azure', 'fastavro', 'avro'))))\n"
    )
    settings_env = {**os.environ, **SETTINGS_ENV, "SINK_KIND": "eventhub", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                            env=settings_env)
    assert result.stdout.strip() == "[]"


def test_default_clients_are_the_sdk_clients_for_each_auth_mode():
    from azure.eventhub import EventHubProducerClient
    from azure.schemaregistry import SchemaRegistryClient

    for values in ({"EVENTHUB_CONNECTION_STRING": ("Endpoint=sb://pc-test.servicebus.windows.net/;"
                                                   "SharedAccessKeyName=send;SharedAccessKey=abc")},
                   {"SCHEMA_REGISTRY_FULLY_QUALIFIED_NAMESPACE": "pc-registry.servicebus.windows.net"}):
        clients = AzureClients(make_settings(**values))
        producer = clients.producer("pc-events")
        registry = clients.schema_registry()
        assert isinstance(producer, EventHubProducerClient) and producer.eventhub_name == "pc-events"
        assert isinstance(registry, SchemaRegistryClient)
        producer.close()
        registry.close()
        clients.close()
    assert registry_namespace(make_settings()) == "personicle-test.servicebus.windows.net"
