"""The app's metrics and spans, by name; each call is cheap and does nothing while telemetry is off."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

METER_NAME = "personicle.connect"
_instruments: dict[str, Any] = {}
_lock = threading.Lock()


def _meter() -> Any:
    from opentelemetry import metrics

    return metrics.get_meter(METER_NAME)


def _tracer() -> Any:
    from opentelemetry import trace

    return trace.get_tracer(METER_NAME)


def _instrument(name: str, kind: str, unit: str, description: str) -> Any:
    with _lock:
        found = _instruments.get(name)
        if found is None:
            meter = _meter()
            create = {"counter": meter.create_counter, "gauge": meter.create_gauge}[kind]
            found = _instruments[name] = create(name, unit=unit, description=description)
        return found


def reset_instruments() -> None:
    """Forget the instruments (after a new meter provider is installed, as tests do)."""
    with _lock:
        _instruments.clear()


def scrub_url(url: str) -> str:
    """Return scheme, host and path only: query strings may hold tokens (some revocation endpoints take one there)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{':' + str(parts.port) if parts.port else ''}{parts.path}"


def status_class(status: int | None) -> str:
    """Return `2xx`..`5xx`, or `none` when no answer came."""
    return f"{status // 100}xx" if status else "none"


@contextmanager
def provider_call(provider: str, method: str, url: str) -> Iterator[dict[str, int | None]]:
    """Trace one provider call and count it by status class; set `outcome["status"]` inside."""
    outcome: dict[str, int | None] = {"status": None}
    with _tracer().start_as_current_span(
            "provider call", kind=_client_kind(),
            attributes={"personicle.provider": provider, "http.request.method": method,
                        "url.full": scrub_url(url)}) as span:
        try:
            yield outcome
        finally:
            if outcome["status"] is not None:
                span.set_attribute("http.response.status_code", outcome["status"])
            _instrument("personicle.provider.calls", "counter", "{call}", "Calls to provider APIs").add(
                1, {"provider": provider, "status_class": status_class(outcome["status"])})


def _client_kind() -> Any:
    from opentelemetry.trace import SpanKind

    return SpanKind.CLIENT


def count_records_sent(provider: str, records: Sequence[Any]) -> None:
    """Count delivered records by provider, Personicle stream (or event type) and kind."""
    counts: dict[tuple[str, str], int] = {}
    for record in records:
        stream = getattr(record, "stream_name", None)
        key = (stream, "datastream") if stream else (getattr(record, "event_type", "unknown"), "event")
        counts[key] = counts.get(key, 0) + 1
    counter = _instrument("personicle.records.sent", "counter", "{record}", "Records confirmed by the sink")
    for (stream, kind), count in counts.items():
        counter.add(count, {"provider": provider, "stream": stream, "kind": kind})


def count_rate_limit_continuation(provider: str) -> None:
    """Count a job that ended with a delayed continuation because the provider asked us to slow down."""
    _instrument("personicle.rate_limit.continuations", "counter", "{job}",
                "Jobs continued later at the provider's request").add(1, {"provider": provider})


def count_budget_wait(provider: str) -> None:
    """Count a provider call held back because the app-wide request budget was spent (the job waits)."""
    _instrument("personicle.request_budget.waits", "counter", "{wait}",
                "Provider calls held back by the app-wide request budget").add(1, {"provider": provider})


def record_budget_use(provider: str, window_seconds: float, used: int, limit: int) -> None:
    """Record the share of one app-wide request budget used in its window (1.0: spent)."""
    _instrument("personicle.request_budget.used", "gauge", "1",
                "Share of an app-wide request budget used in its window").set(
        used / limit, {"provider": provider, "window_seconds": window_seconds})


def count_token_refresh(provider: str, outcome: str) -> None:
    """Count a token refresh by outcome: `refreshed`, `reauth_required` or `failed`."""
    _instrument("personicle.token.refreshes", "counter", "{refresh}", "Access-token refreshes").add(
        1, {"provider": provider, "outcome": outcome})


def count_webhook_notification(provider: str, outcome: str, notifications: int = 1) -> None:
    """Count webhook notifications by outcome: `queued`, `accepted` (nothing new to queue), `replayed`, `refused:<code>`."""
    _instrument("personicle.webhook.notifications", "counter", "{notification}", "Webhook notifications").add(
        notifications, {"provider": provider, "outcome": outcome})


def record_sync_lag(provider: str, seconds: float) -> None:
    """Record the age of the oldest stream cursor among the provider's active connections."""
    _instrument("personicle.sync.lag", "gauge", "s", "Age of the oldest stream cursor of active connections").set(
        seconds, {"provider": provider})


def record_poison_depth(queue: str, messages: int) -> None:
    """Record how many messages wait in a poison queue."""
    _instrument("personicle.queue.poison.depth", "gauge", "{message}", "Messages in a poison queue").set(
        messages, {"queue": queue})


@contextmanager
def job_span(provider: str, connection_id: str, reason: str, invocation_id: str | None) -> Iterator[Any]:
    """Trace one download job."""
    attributes = {"personicle.provider": provider, "personicle.connection_id": connection_id,
                  "personicle.job.reason": reason}
    if invocation_id:
        attributes["faas.invocation_id"] = invocation_id
    with _tracer().start_as_current_span("download job", attributes=attributes) as span:
        yield span


@contextmanager
def timer_span(name: str, invocation_id: str | None) -> Iterator[Any]:
    """Trace one timer run."""
    attributes = {"faas.trigger": "timer", "personicle.timer": name}
    if invocation_id:
        attributes["faas.invocation_id"] = invocation_id
    with _tracer().start_as_current_span(name, attributes=attributes) as span:
        yield span


def observed_refresh(refresh: Any) -> Any:
    """Wrap `refresh(provider, client, refresh_token)`: trace it and count its outcome."""
    import functools

    @functools.wraps(refresh)
    def observed(provider: Any, *args: Any, **kwargs: Any) -> Any:
        from shared.errors import ReauthRequired

        outcome = "failed"
        with _tracer().start_as_current_span("token refresh", attributes={"personicle.provider": provider.name}):
            try:
                tokens = refresh(provider, *args, **kwargs)
                outcome = "refreshed"
                return tokens
            except ReauthRequired:
                outcome = "reauth_required"
                raise
            finally:
                count_token_refresh(provider.name, outcome)

    return observed
