"""Grant the app's PostgreSQL role read/write access to the tables that the migrations created.

Run by infra/hooks/migrate.sh after `python -m shared.migrate`, signed in as the migration principal
that owns the tables. The app's role (its managed identity) gets SELECT/INSERT/UPDATE/DELETE on every
table and sequence of schema public, now and for tables later migrations create; no DDL.

Usage: python infra/hooks/grant_app_role.py APP_ROLE
Reads POSTGRES_DSN, POSTGRES_AUTH (password or entra) and POSTGRES_PASSWORD from the environment.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from shared.pg_credentials import PostgresCredentials  # noqa: E402

GRANTS = (
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
    "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
    "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
)


@dataclass(frozen=True)
class SignIn:
    """The database sign-in settings this script needs (a subset of shared.config.Settings)."""

    postgres_dsn: str
    postgres_auth: str
    postgres_password: str | None


def sign_in_from_environment(environ: dict[str, str] | None = None) -> SignIn:
    """Read POSTGRES_DSN, POSTGRES_AUTH and POSTGRES_PASSWORD.

    Raises:
        SystemExit: when POSTGRES_DSN is missing.
    """
    environ = dict(os.environ) if environ is None else environ
    dsn = environ.get("POSTGRES_DSN", "").strip()
    if not dsn:
        raise SystemExit("grant_app_role: POSTGRES_DSN is not set")
    return SignIn(dsn, environ.get("POSTGRES_AUTH", "password").strip().lower(),
                  environ.get("POSTGRES_PASSWORD") or None)


def grant_app_role(connection: Any, role: str) -> None:
    """Grant `role` DML on the tables and sequences of schema public, present and future."""
    from psycopg2 import sql

    with connection, connection.cursor() as cursor:
        for statement in GRANTS:
            cursor.execute(sql.SQL(statement).format(role=sql.Identifier(role)))


def main(argv: list[str]) -> None:
    """Connect as the migration principal and grant the app role named in argv[1]."""
    import psycopg2

    if len(argv) != 2 or not argv[1].strip():
        raise SystemExit("usage: grant_app_role.py APP_ROLE")
    sign_in = sign_in_from_environment()
    password = PostgresCredentials(sign_in).password()
    extra = {"password": password} if password else {}
    connection = psycopg2.connect(sign_in.postgres_dsn, connect_timeout=15, **extra)
    try:
        grant_app_role(connection, argv[1].strip())
    finally:
        connection.close()
    print(f"grant_app_role: {argv[1].strip()} may read and write the application tables")


if __name__ == "__main__":
    main(sys.argv)
