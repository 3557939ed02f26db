"""Helpers for the webhook tests: the queues, the pending windows, signed requests, the sink."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import requests
from azure.storage.queue import QueueClient, TextBase64EncodePolicy

from shared.config import get_settings
from shared.db import get_database
from shared.queues import download_queue
from tests.conftest import API, SANDBOX_PORT

SANDBOX = f"http://127.0.0.1:{SANDBOX_PORT}"


def queue(provider: str) -> QueueClient:
    """Return the provider's download queue (as the app writes it)."""
    return QueueClient.from_connection_string(os.environ["AzureWebJobsStorage"], download_queue(provider),
                                              message_encode_policy=TextBase64EncodePolicy())


def clear(provider: str) -> None:
    """Empty the provider's download queue, creating it when missing."""
    from azure.core.exceptions import ResourceExistsError

    client = queue(provider)
    try:
        client.create_queue()
    except ResourceExistsError:
        pass
    client.clear_messages()


def queued_jobs(provider: str) -> list[dict]:
    """Return the jobs waiting on the provider's queue (up to 32), without taking them."""
    import base64

    return [json.loads(base64.b64decode(message.content)) for message in queue(provider).peek_messages(32)]


def pending_windows() -> list[tuple]:
    """Return every pending webhook window as (connection id, stream, start, end)."""
    with get_database().transaction() as cursor:
        cursor.execute("SELECT connection_id, stream, window_start, window_end FROM webhook_windows ORDER BY stream")
        return [(uuid.UUID(str(row[0])), *row[1:]) for row in cursor.fetchall()]


def post(provider: str, body: bytes, headers: dict[str, str]) -> requests.Response:
    """POST a notification to the app's webhook endpoint over HTTP."""
    return requests.post(f"{API}/webhooks/{provider}", data=body, headers=headers, timeout=10)


def sink_lines() -> list[dict]:
    """Return every line of the local sink."""
    folder = Path(get_settings().local_sink_dir)
    return [json.loads(line) for path in sorted(folder.glob("*.jsonl")) for line in path.open()]


def sink_mark() -> dict[str, int]:
    """Return how many lines each sink file holds now (for `sink_lines_since`)."""
    folder = Path(get_settings().local_sink_dir)
    return {path.name: sum(1 for _ in path.open()) for path in folder.glob("*.jsonl")}


def sink_lines_since(mark: dict[str, int]) -> list[dict]:
    """Return the sink lines written after `mark`, file by file (a new file counts whole)."""
    folder = Path(get_settings().local_sink_dir)
    return [json.loads(line) for path in sorted(folder.glob("*.jsonl"))
            for line in path.read_text().splitlines()[mark.get(path.name, 0):]]


def record_times(line: dict) -> list[str]:
    """Return the UTC times a sink line holds (event start, or each data point's)."""
    body = line["body"]
    if "dataPoints" in body:
        return [point.get("timestamp") or point.get("start_time") for point in body["dataPoints"]]
    return [body["start_time"]]


def drain(app_host, provider: str, rounds: int = 5) -> int:
    """Run the provider's queue function until its queue is empty; return how many jobs ran."""
    ran = 0
    for _ in range(rounds):
        count = app_host.poll_queue(f"queue_download_{provider}")
        ran += count
        if count == 0:
            break
    return ran
