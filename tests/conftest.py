"""Test environment: local settings pointed at the test stack, a fresh key, migrated database."""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SANDBOX_PORT = 17080
HOST_PORT = 17071
API = f"http://127.0.0.1:{HOST_PORT}/api"
DEMO = f"http://127.0.0.1:{SANDBOX_PORT}/demo"


def _test_environment() -> dict[str, str]:
    """Return local.settings.json Values moved to the test ports and the test stack."""
    values = json.loads((ROOT / "local.settings.json").read_text())["Values"]
    env = {
        name: str(value).replace("127.0.0.1:7080", f"127.0.0.1:{SANDBOX_PORT}")
        .replace("127.0.0.1:7071", f"127.0.0.1:{HOST_PORT}")
        for name, value in values.items()
    }
    stack = subprocess.run([str(ROOT / "devtools" / "stack.sh"), "env", "test"], check=True,
                           capture_output=True, text=True).stdout
    for line in stack.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = value.strip("'")
    # Each run has its own database, so runs side by side never see each other's rows.
    env["PERSONICLE_TEST_SERVER_DSN"] = env["POSTGRES_DSN"]
    env["POSTGRES_DSN"] = env["POSTGRES_DSN"].replace("dbname=personicle", f"dbname=test_run_{os.getpid()}")
    env["TOKEN_ENCRYPTION_KEYS"] = "test1:" + base64.b64encode(os.urandom(32)).decode()
    env["LOCAL_SINK_DIR"] = str(ROOT / ".local" / "test-sink")
    return env


TEST_ENV = _test_environment()
os.environ.update(TEST_ENV)


def _server_command(sql: str) -> None:
    import psycopg2

    admin = psycopg2.connect(TEST_ENV["PERSONICLE_TEST_SERVER_DSN"])
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql)
    finally:
        admin.close()


@pytest.fixture(scope="session")
def migrated_database():
    """Create this run's database, apply the migrations, return the app's database; drop it at the end."""
    from shared.config import get_settings
    from shared.db import get_database
    from shared.migrate import apply_migrations

    name = f"test_run_{os.getpid()}"
    _server_command(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _server_command(f'CREATE DATABASE "{name}"')
    apply_migrations(get_settings())
    yield get_database()
    get_database().close()
    _server_command(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database(migrated_database):
    """Return the app's database with every table emptied."""
    with migrated_database.transaction() as cursor:
        cursor.execute("TRUNCATE connections, oauth_states, sync_cursors, delivered_records, pending_links,"
                       " request_budget_slots CASCADE")
    return migrated_database


@pytest.fixture(scope="session")
def sandbox_server():
    """The sandbox where the test settings point (providers and Personicle sign-in)."""
    from devtools.sandbox import SandboxServer

    server = SandboxServer(port=SANDBOX_PORT, api_base=API)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server, database):
    """The sandbox with fresh state, and an empty database."""
    sandbox_server.state.reset()
    return sandbox_server


@pytest.fixture
def token(sandbox):
    """Mint a valid Personicle token for a user."""
    return lambda user="alice": sandbox.state.oidc.mint(user)


@pytest.fixture(scope="session")
def app_host(migrated_database):
    """The real function_app served over HTTP by the local host on the test port (triggers by hand)."""
    from devtools.localhost import LocalHost, LocalSettings
    from function_app import app

    host_json = json.loads((ROOT / "host.json").read_text())
    host = LocalHost(app, host_json, port=HOST_PORT,
                     settings=LocalSettings(cors_origins=(f"http://127.0.0.1:{SANDBOX_PORT}",)))
    _clear_queues([function.queue_name for function in host.index.queues])
    host.start(triggers=False)
    yield host
    host.stop()


def _clear_queues(names: list[str]) -> None:
    """Empty the app's queues and their poison queues: Azurite keeps messages of earlier runs, whose
    connections live in databases of their own, and a poll must find only this run's jobs."""
    from azure.core.exceptions import ResourceNotFoundError
    from azure.storage.queue import QueueServiceClient

    service = QueueServiceClient.from_connection_string(TEST_ENV["AzureWebJobsStorage"])
    for name in names:
        for queue in (name, f"{name}-poison"):
            try:
                service.get_queue_client(queue).clear_messages()
            except ResourceNotFoundError:
                pass


# Two tiers: `scripts/test --fast` runs the unit tier (no PostgreSQL, Azurite, sandbox or browser);
# a test is in the integration tier when it asks for one of these fixtures or its module says so.
SERVICE_FIXTURES = frozenset({"migrated_database", "database", "sandbox_server", "sandbox", "token", "app_host",
                              "manual_host", "running_host", "scratch_database", "cli_sandbox", "browser", "personicle_tables"})


def pytest_configure(config):
    config.addinivalue_line("markers", "integration: needs PostgreSQL, Azurite, the sandbox or a browser")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SERVICE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)
