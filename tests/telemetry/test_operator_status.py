"""GET /api/operator/status against PostgreSQL and Azurite: counts and seconds, per provider."""

from __future__ import annotations

import json
import os

from azure.storage.queue import QueueClient

from shared.providers import PROVIDERS
from tests.connect.conftest import call, http_request
from tests.sync.support import connect_account


def test_status_counts_connections_lag_and_poison_messages(telemetry, sandbox, database):
    connect_account(sandbox, "oura", "bob")
    connect_account(sandbox, "fitbit", "bob")
    with database.transaction() as cursor:
        cursor.execute("UPDATE connections SET status = 'needs_reauth' WHERE provider = 'fitbit'")
    poison = QueueClient.from_connection_string(os.environ["AzureWebJobsStorage"], f"{PROVIDERS['oura'].queue}-poison")
    try:
        poison.create_queue()
    except Exception:  # noqa: BLE001 - it exists already
        pass
    poison.clear_messages()
    poison.send_message("a message that failed five times")
    answer = call("operator_status", http_request("GET", "operator/status"))
    assert answer.status_code == 200
    body = json.loads(answer.get_body())["providers"]
    assert set(body) == set(PROVIDERS)
    assert body["oura"]["connections"] == {"active": 1} and body["fitbit"]["connections"] == {"needs_reauth": 1}
    assert body["oura"]["poison_messages"] == 1 and body["fitbit"]["poison_messages"] == 0
    assert body["oura"]["lag_seconds_max"] is not None and body["oura"]["lag_seconds_max"] >= 0
    assert body["fitbit"]["lag_seconds_max"] is None  # only active connections lag
    _, points = telemetry
    depths = {a["queue"]: v for a, v in points()["personicle.queue.poison.depth"]}
    assert depths[f"{PROVIDERS['oura'].queue}-poison"] == 1
    poison.clear_messages()
