"""Entry point of the queue-triggered download functions: decode the job, run it, log counts."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from shared.errors import JobError
from shared.jobs import DownloadJob

log = logging.getLogger(__name__)
_engine: Any = None
_engine_lock = threading.Lock()


def _build_engine() -> Any:
    from shared.clock import utc_now
    from shared.config import get_settings
    from shared.crypto import get_keyring
    from shared.db import get_database
    from shared.jobs import enqueue_job
    from shared.providers import PROVIDERS
    from shared.sink.factory import create_sink
    from shared.sync.assemble import build_engine
    from shared.telemetry.metered_sink import MeteredSink
    from shared.telemetry.setup import configure_telemetry

    configure_telemetry()
    settings = get_settings()
    sink = MeteredSink(create_sink(settings), {provider.source: provider.name for provider in PROVIDERS.values()})
    return build_engine(database=get_database(), settings=settings, keyring=get_keyring(), sink=sink,
                        enqueue=lambda job, delay: enqueue_job(job, delay_seconds=delay), clock=utc_now,
                        monotonic=time.monotonic)


def get_engine() -> Any:
    """Return the worker's engine (one sink per worker, created on first use)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = _build_engine()
        return _engine


def _run(job: DownloadJob, *, retry: bool) -> Any:
    """Run a job; a webhook job reads its connection's waiting windows first (None: none waiting)."""
    if job.reason == "webhook":
        from shared.db import get_database
        from shared.webhooks.jobs import run_webhook_job

        return run_webhook_job(job, get_engine(), get_database(), retry=retry)
    return get_engine().run(job)


def handle_download_message(provider: str, body: bytes, *, dequeue_count: int,
                            invocation_id: str | None = None) -> None:
    """Run the DownloadJob in `body` on `provider`'s queue.

    A malformed job, or one for an unknown, revoked or inactive connection, is logged with its reason
    and dropped (retrying cannot fix it). Transient errors propagate: the queue retries, then poisons.
    """
    from shared.telemetry.signals import count_rate_limit_continuation, job_span

    try:
        job = DownloadJob.from_json(body)
        if job.provider != provider:
            raise JobError(f"a {job.provider} job arrived on the {provider} queue")
        with job_span(provider, str(job.connection_id), job.reason, invocation_id) as span:
            outcome = _run(job, retry=(dequeue_count or 1) > 1)
            if outcome is not None:
                span.set_attribute("personicle.records_sent", outcome.records_sent)
                span.set_attribute("personicle.api_calls", outcome.api_calls)
    except JobError as error:
        log.warning("download job on the %s queue dropped (invocation %s): %s", provider, invocation_id, error)
        return
    if outcome is None:
        log.info("webhook job for connection %s: its window was already read", job.connection_id)
        return
    if outcome.continuation is not None and outcome.continuation_delay > 0 and not outcome.deferred:
        count_rate_limit_continuation(provider)
    log.info(
        "download %s connection %s (%s, attempt %d, invocation %s): %d records, %d API calls, %d streams done, "
        "%d failed%s", provider, job.connection_id, job.reason, dequeue_count, invocation_id, outcome.records_sent,
        outcome.api_calls, len(outcome.streams_done), len(outcome.streams_failed),
        f", deferred {outcome.continuation_delay}s (another job holds the connection)" if outcome.deferred
        else f", continuation in {outcome.continuation_delay}s" if outcome.continuation
        else ", stopped: disconnected or reconnected" if outcome.superseded else "")


def download_blueprint(provider: str) -> Any:
    """Return the blueprint of `provider`'s queue-triggered download function (`queue_download_<provider>`)."""
    import azure.functions as func

    from shared.providers import PROVIDERS

    bp = func.Blueprint()
    name = f"queue_download_{provider}"

    @bp.function_name(name)
    @bp.queue_trigger(arg_name="msg", queue_name=PROVIDERS[provider].queue, connection="AzureWebJobsStorage")
    def download(msg: func.QueueMessage, context: func.Context) -> None:
        """Run one download job; errors propagate so the queue retries and finally poisons."""
        handle_download_message(provider, msg.get_body(), dequeue_count=msg.dequeue_count,
                                invocation_id=context.invocation_id)

    return bp
