"""In-memory OpenTelemetry exporters, installed once for the test process (the API allows one provider)."""

from __future__ import annotations

import pytest
from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from shared.telemetry.signals import reset_instruments

SPANS = InMemorySpanExporter()
METRICS = InMemoryMetricReader()
_provider = TracerProvider()
_provider.add_span_processor(SimpleSpanProcessor(SPANS))
trace.set_tracer_provider(_provider)
metrics.set_meter_provider(MeterProvider(metric_readers=[METRICS]))


@pytest.fixture
def telemetry():
    """Return (spans, read_points): finished spans, and {metric name: [(attributes, value)]} since the start."""
    reset_instruments()
    SPANS.clear()
    METRICS.get_metrics_data()  # drain what earlier tests recorded (cumulative sums still carry it)

    def read_points() -> dict[str, list[tuple[dict, float]]]:
        found: dict[str, list[tuple[dict, float]]] = {}
        data = METRICS.get_metrics_data()
        for resource in data.resource_metrics if data else ():
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    for point in metric.data.data_points:
                        found.setdefault(metric.name, []).append((dict(point.attributes), point.value))
        return found

    return SPANS, read_points
