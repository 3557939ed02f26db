"""A scratch Fitbit connection for engine benchmarks: the sandbox in-process and a throwaway database.

`fitbit_connection` starts the Google Health imitation (data ending at `NOW`), creates a database on
the PostgreSQL named by `POSTGRES_DSN` (`devtools/stack.sh env dev` or `test`), points the app's settings
at both with the local JSONL sink, migrates, connects `user` with sandbox tokens, and yields the
connection. On exit it stops the sandbox and drops the database.
"""

from __future__ import annotations

import base64
import os
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 10, 1, tzinfo=timezone.utc)


def _environment(sandbox_url: str, dsn: str, days: int) -> dict[str, str]:
    return {
        "POSTGRES_DSN": dsn, "AzureWebJobsStorage": "UseDevelopmentStorage=true",
        "TOKEN_ENCRYPTION_KEYS": "bench:" + base64.b64encode(os.urandom(32)).decode(),
        "PERSONICLE_OIDC_ISSUER": f"{sandbox_url}/oidc", "PERSONICLE_OIDC_AUDIENCE": "personicle-connect",
        "PUBLIC_BASE_URL": "http://127.0.0.1:7071", "RETURN_TO_ALLOWLIST": "http://127.0.0.1:7080/demo",
        "FITBIT_TOKEN_URL": f"{sandbox_url}/google/token", "FITBIT_API_URL": f"{sandbox_url}/googlehealth",
        "FITBIT_CLIENT_ID": "sandbox-fitbit-client", "FITBIT_CLIENT_SECRET": "sandbox-fitbit-secret",
        "SINK_KIND": "jsonl", "LOCAL_SINK_DIR": tempfile.mkdtemp(prefix="bench-sink-"),
        "SYNC_BACKFILL_DAYS": str(days), "OAUTHLIB_INSECURE_TRANSPORT": "1"}


@contextmanager
def fitbit_connection(user: str, days: int, *, label: str, settings: dict[str, str]) -> Iterator[Any]:
    """Yield `user`'s Fitbit connection in a scratch database; `settings` add to or override the defaults."""
    sys.path.insert(0, str(ROOT))
    import psycopg2
    from psycopg2.extensions import make_dsn

    from devtools.sandbox import SandboxServer
    from devtools.sandbox.providers.fitbit.knobs import health_state
    from tests.sandbox.flows import API_BASE, google_tokens

    sandbox = SandboxServer(port=0, api_base=API_BASE)
    sandbox.start()
    health_state(sandbox.state.extras).configure(now=NOW.isoformat())
    server_dsn = os.environ["POSTGRES_DSN"]
    name = f"bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(server_dsn)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    os.environ.update({**_environment(sandbox.url, make_dsn(server_dsn, dbname=name), days), **settings})
    try:
        from shared.config import get_settings
        from shared.crypto import get_keyring
        from shared.db import get_database
        from shared.migrate import apply_migrations
        from shared.providers.base import TokenSet
        from shared.providers.fitbit.provider import SCOPES
        from shared.store.connections import save_connected

        apply_migrations(get_settings())
        answer = google_tokens(sandbox.url, user, scope=" ".join(SCOPES))
        tokens = TokenSet(answer["access_token"], answer.get("refresh_token"), answer.get("expires_in"),
                          tuple(answer["scope"].split()))
        with get_database().transaction() as cursor:
            connection = save_connected(cursor, get_keyring(), user_id=user, provider="fitbit",
                                        provider_user_id=user, scopes=tokens.scopes, tokens=tokens,
                                        default_expires_in=3600, now=datetime.now(timezone.utc))
        yield connection
        get_database().close()
    finally:
        sandbox.stop()
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
