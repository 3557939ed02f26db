"""The download queue function end to end through the local host, and how it treats bad messages."""

import json
import logging
import os

import pytest
from azure.storage.queue import QueueClient, TextBase64DecodePolicy, TextBase64EncodePolicy

from shared.download_entry import handle_download_message
from shared.jobs import DownloadJob
from tests.sync.support import NOW, connect_account, cursors, pin_sandbox_clock


@pytest.mark.parametrize(("body", "reason"), [
    (b"not json", "not JSON"),
    (b"[]", "not a JSON object"),
    (b'{"version": 9}', "unsupported job version"),
    (json.dumps({"version": 1, "connection_id": "x", "provider": "oura", "reason": "backfill"}).encode(),
     "not a UUID"),
    (json.dumps({"version": 1, "connection_id": "00000000-0000-0000-0000-000000000001", "provider": "oura",
                 "reason": "whenever"}).encode(), "reason must be"),
    (json.dumps({"version": 1, "connection_id": "00000000-0000-0000-0000-000000000001", "provider": "fitbit",
                 "reason": "backfill"}).encode(), "arrived on the oura queue"),
    (json.dumps({"version": 1, "connection_id": "00000000-0000-0000-0000-000000000001", "provider": "oura",
                 "reason": "backfill"}).encode(), "unknown connection"),
], ids=["not-json", "array", "version", "bad-id", "bad-reason", "wrong-queue", "unknown-connection"])
def test_undeliverable_messages_are_dropped_with_a_reason(sandbox, database, caplog, body, reason):
    caplog.set_level(logging.WARNING)
    handle_download_message("oura", body, dequeue_count=1)  # returns: the message is deleted, not retried
    assert any(reason in record.getMessage() and "dropped" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("provider", ["fitbit", "oura", "google_fit", "whoop", "withings"])
def test_a_job_on_the_queue_becomes_records_in_the_local_sink(sandbox, database, app_host, provider):
    from datetime import timedelta

    from shared.config import get_settings
    from shared.queues import download_queue

    pin_sandbox_clock(sandbox, provider)
    connection_id = connect_account(sandbox, provider)
    queue = QueueClient.from_connection_string(os.environ["AzureWebJobsStorage"], download_queue(provider),
                                               message_encode_policy=TextBase64EncodePolicy(),
                                               message_decode_policy=TextBase64DecodePolicy())
    queue.clear_messages()
    window = DownloadJob(connection_id, provider, "manual", window_start=NOW - timedelta(days=3), window_end=NOW)
    queue.send_message(window.to_json())
    sink_dir = get_settings().local_sink_dir
    before = {path: sum(1 for _ in path.open()) for path in _sink_files(sink_dir)}  # one file per hub
    assert app_host.poll_queue(f"queue_download_{provider}") == 1
    added = [json.loads(line) for path in _sink_files(sink_dir)
             for line in path.read_text().splitlines()[before.get(path, 0):]]
    assert added
    assert {line["partition_key"] for line in added} == {"bob"}
    assert cursors(connection_id) and all(until == NOW for until, _, _ in cursors(connection_id).values())
    # The streams' first window opened their history: what is left on the queue is the job that fills it.
    assert [json.loads(m.content)["reason"] for m in queue.peek_messages()] == ["history"]


def _sink_files(folder):
    from pathlib import Path

    return sorted(Path(folder).glob("*.jsonl"))
