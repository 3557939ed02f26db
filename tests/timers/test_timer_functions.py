"""Both timers fire through the local host over the real function_app: on demand and on schedule."""

import json
import os
import time

import requests
from azure.storage.queue import QueueClient

from shared.providers import PROVIDERS
from tests.conftest import ROOT
from tests.timers.conftest import PAIRS, refresh_calls


def _expire_all(database):
    with database.transaction() as cursor:
        cursor.execute("UPDATE connections SET access_token_expires_at = now() + interval '1 minute'")


def _pending(database):
    with database.transaction() as cursor:
        cursor.execute("SELECT count(*) FROM connections WHERE sync_pending_until IS NOT NULL")
        return cursor.fetchone()[0]


def _clear_download_queues():
    for name in (provider.queue for provider in PROVIDERS.values()):
        client = QueueClient.from_connection_string(os.environ["AzureWebJobsStorage"], name)
        client.clear_messages()


def _wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_timers_run_on_demand_through_the_admin_endpoint(sandbox, database, connections, app_host):
    _clear_download_queues()
    _expire_all(database)
    # One after the other: both lock rows with SKIP LOCKED, so together each may skip the other's rows.
    for name, done in (("timer_refresh_tokens", lambda: refresh_calls(sandbox) == len(PAIRS)),
                       ("timer_schedule_sync", lambda: _pending(database) == len(PAIRS))):
        answer = requests.post(f"{app_host.base_url}/admin/functions/{name}", json={"input": ""}, timeout=10)
        assert answer.status_code == 202
        assert _wait_for(done)


def test_timers_run_on_their_schedule(sandbox, database, connections):
    from devtools.localhost import LocalHost, LocalSettings
    from function_app import app

    _clear_download_queues()
    _expire_all(database)
    every_second = dict(os.environ, REFRESH_TOKENS_SCHEDULE="* * * * * *", SCHEDULE_SYNC_SCHEDULE="* * * * * *")
    host = LocalHost(app, json.loads((ROOT / "host.json").read_text()), port=0, settings=LocalSettings(),
                     environ=every_second)
    host.start()
    try:
        assert _wait_for(lambda: refresh_calls(sandbox) == len(PAIRS))
        assert _wait_for(lambda: _pending(database) == len(PAIRS))
    finally:
        host.stop()
        _clear_download_queues()
