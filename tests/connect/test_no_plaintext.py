"""After full flows, no access token, refresh token, code, verifier or link code is in the database
dump, the queue messages or the captured logs."""

import base64
import glob
import json
import logging
import os
import subprocess

from azure.storage.queue import QueueServiceClient
from psycopg2.extensions import parse_dsn

from shared.clock import utc_now
from shared.config import get_settings
from shared.crypto import get_keyring
from shared.providers import PROVIDERS
from shared.store import connections as connection_store
from shared.store.oauth_states import consume_state
from shared.sync.tokens import TokenKeeper
from tests.connect.conftest import (
    call,
    callback_with,
    confirm,
    follow_consent,
    http_request,
    redirect_status,
    start_connect,
)


def _flow_collecting_secrets(token, provider, database, secrets):
    answer = start_connect(token, provider)
    route_provider, params = follow_consent(json.loads(answer.get_body())["authorization_url"])
    secrets.add(params["code"])
    with database.transaction() as cursor:  # read the verifier the way the callback will, then undo
        cursor.execute("SAVEPOINT peek")
        state = consume_state(cursor, get_keyring(), params["state"])
        cursor.execute("ROLLBACK TO SAVEPOINT peek")
    if state.pkce_verifier:
        secrets.add(state.pkce_verifier)
    pending = redirect_status(callback_with(route_provider, params))
    secrets.add(pending["link"])
    assert confirm(token, route_provider, pending["link"]).status_code == 200


def _pg_dump() -> str:
    params = parse_dsn(os.environ["POSTGRES_DSN"])
    binary = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))[-1]
    return subprocess.run([binary, "-h", params["host"], "-p", params["port"], "-U", params["user"],
                           params["dbname"]], check=True, capture_output=True, text=True).stdout


def _queue_texts() -> str:
    service = QueueServiceClient.from_connection_string(os.environ["AzureWebJobsStorage"])
    texts = []
    for queue in service.list_queues():
        for message in service.get_queue_client(queue.name).peek_messages(max_messages=32):
            texts.append(base64.b64decode(message.content).decode("utf-8", "replace"))
    return "\n".join(texts)


def test_no_plaintext_secret_anywhere(sandbox, token, database, caplog):
    caplog.set_level(logging.DEBUG)
    secrets: set[str] = set()
    alice = token("alice")
    for provider in ("fitbit", "oura", "google_fit", "whoop", "withings"):
        _flow_collecting_secrets(alice, provider, database, secrets)
    keyring = get_keyring()
    with database.transaction() as cursor:
        rows = connection_store.list_connections(cursor, "alice")
        for row in rows:
            stored = connection_store.load_tokens(cursor, keyring, row.id)
            secrets.update(filter(None, (stored.access_token, stored.refresh_token)))
            cursor.execute("UPDATE connections SET access_token_expires_at = now() WHERE id = %s", (str(row.id),))
    for row in rows:  # a refresh each, so refreshed tokens are covered too
        keeper = TokenKeeper(database, keyring, get_settings(), PROVIDERS[row.provider], row.id, clock=utc_now)
        secrets.add(keeper.access_token())
    with database.transaction() as cursor:
        for row in rows:
            stored = connection_store.load_tokens(cursor, keyring, row.id)
            secrets.update(filter(None, (stored.access_token, stored.refresh_token)))
    call("connections_item", http_request("DELETE", "connections/oura", token=alice, route_params={"provider": "oura"}))
    assert len(secrets) >= 10
    ours = "\n".join(f"{record.getMessage()} {record.exc_text or ''}" for record in caplog.records
                     if not record.name.startswith("devtools.sandbox"))
    places = {"database dump": _pg_dump(), "queue messages": _queue_texts(), "logs": ours}
    for place, text in places.items():
        leaked = [s[:6] + "..." for s in secrets if s in text]
        assert not leaked, f"plaintext secrets in the {place}: {leaked}"
    assert "alice" in places["database dump"]  # the places really hold the flows' traces
    assert "backfill" in places["queue messages"]
    assert "connection" in places["logs"]
