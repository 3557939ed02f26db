"""Switch telemetry on once per worker, from the app settings."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)
_configured = False
_lock = threading.Lock()
# The distro's automatic HTTP and database instrumentations would record full URLs (a revocation
# carries the token in its query string) and SQL: our own spans replace them.
_DISABLED_INSTRUMENTATIONS = ("requests", "urllib", "urllib3", "psycopg2", "django", "fastapi", "flask")


def configure_telemetry(environ: Mapping[str, str] | None = None) -> str:
    """Configure exporters on first call; return which: `azure-monitor`, `console` or `off`."""
    global _configured
    environ = os.environ if environ is None else environ
    with _lock:
        if _configured:
            return "configured"
        _configured = True
        if environ.get("APPLICATIONINSIGHTS_CONNECTION_STRING"):
            from azure.monitor.opentelemetry import configure_azure_monitor

            configure_azure_monitor(
                connection_string=environ["APPLICATIONINSIGHTS_CONNECTION_STRING"],
                credential=_credential(environ),
                instrumentation_options={name: {"enabled": False} for name in _DISABLED_INSTRUMENTATIONS})
            return "azure-monitor"
        if environ.get("TELEMETRY_CONSOLE", "").strip().lower() in ("1", "true", "yes"):
            _configure_console()
            return "console"
        return "off"


def _credential(environ: Mapping[str, str]) -> Any:
    """Entra sign-in for ingestion when the template asks for it (`ClientId=...;Authorization=AAD`)."""
    parts = dict(part.split("=", 1) for part in environ.get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "").split(";")
                 if "=" in part)
    if parts.get("Authorization") != "AAD":
        return None
    from azure.identity import ManagedIdentityCredential

    client_id = parts.get("ClientId")
    return ManagedIdentityCredential(client_id=client_id) if client_id else ManagedIdentityCredential()


def _configure_console() -> None:
    from opentelemetry import metrics, trace
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import ConsoleMetricExporter, PeriodicExportingMetricReader
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor

    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
    trace.set_tracer_provider(tracer_provider)
    reader = PeriodicExportingMetricReader(ConsoleMetricExporter(), export_interval_millis=60_000)
    metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
