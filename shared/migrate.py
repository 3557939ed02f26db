"""Apply the schema migrations in shared/migrations/ (idempotent): `python -m shared.migrate`."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

from shared.config import DatabaseSettings, Settings, load_database_settings

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
log = logging.getLogger(__name__)


def database_uri(settings: Settings | DatabaseSettings) -> str:
    """Turn the libpq DSN (and the current password or token) into the URI the migration tool takes."""
    from psycopg2.extensions import parse_dsn

    from shared.pg_credentials import PostgresCredentials

    params = parse_dsn(settings.postgres_dsn)
    password = PostgresCredentials(settings).password() or params.pop("password", None)
    params.pop("password", None)
    user = quote(params.pop("user", ""), safe="")
    auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    host = params.pop("host", "localhost")
    port = params.pop("port", "5432")
    dbname = quote(params.pop("dbname", ""), safe="")
    query = "&".join(f"{key}={quote(str(value), safe='')}" for key, value in sorted(params.items()))
    return f"postgresql://{auth}{host}:{port}/{dbname}" + (f"?{query}" if query else "")


def apply_migrations(settings: Settings | DatabaseSettings) -> list[str]:
    """Apply every pending migration under the migration tool's lock; return the ids applied."""
    from yoyo import get_backend, read_migrations

    backend = get_backend(database_uri(settings))
    migrations = read_migrations(str(MIGRATIONS_DIR))
    with backend.lock():
        pending = backend.to_apply(migrations)
        backend.apply_migrations(pending)
    applied = [migration.id for migration in pending]
    log.info("migrations applied: %s", ", ".join(applied) or "none pending")
    return applied


def main() -> None:
    """Apply migrations with the PostgreSQL settings alone (a deploy hook has no other app settings)."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    apply_migrations(load_database_settings())


if __name__ == "__main__":
    main()
