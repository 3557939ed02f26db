"""Create the app's PostgreSQL role if needed and grant it read/write access to the migrated tables.

Run by infra/hooks/migrate.sh after `python -m shared.migrate`, signed in as the migration principal
(the server's Microsoft Entra administrator, owner of the tables). With `--entra-object-id`, a missing
app role is first created as an ordinary Entra principal bound to that object id, through Azure's
`pgaadauth_create_principal_with_oid` in the `postgres` database (the only one that has it): not an
administrator, not a superuser, no CREATEDB or CREATEROLE. The role then gets SELECT/INSERT/UPDATE/
DELETE on every table and sequence of schema public, now and for tables later migrations create; no DDL.

Usage: python infra/hooks/grant_app_role.py APP_ROLE [--entra-object-id OBJECT_ID]
Reads POSTGRES_DSN, POSTGRES_AUTH (password or entra) and POSTGRES_PASSWORD from the environment.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
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


def create_entra_principal(connection: Any, role: str, object_id: str) -> bool:
    """Create `role` for the Entra service principal `object_id` unless it exists; return True if created.

    Raises:
        SystemExit: when the server lacks Azure's pgaadauth functions (not an Azure server, or not the
            `postgres` database).
    """
    from psycopg2 import errors

    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
        if cursor.fetchone():
            return False
        try:
            cursor.execute("SELECT * FROM pgaadauth_create_principal_with_oid(%s, %s, 'service', false, false)",
                           (role, object_id))
        except errors.UndefinedFunction:
            raise SystemExit("grant_app_role: this server has no pgaadauth_create_principal_with_oid; "
                             "Entra roles exist only on Azure Database for PostgreSQL (database postgres)") from None
    return True


def grant_app_role(connection: Any, role: str) -> None:
    """Grant `role` DML on the tables and sequences of schema public, present and future."""
    from psycopg2 import sql

    with connection, connection.cursor() as cursor:
        for statement in GRANTS:
            cursor.execute(sql.SQL(statement).format(role=sql.Identifier(role)))


def _object_id(text: str) -> str:
    """Return `text` as a canonical object id (a GUID)."""
    try:
        return str(uuid.UUID(text.strip()))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a Microsoft Entra object id (GUID): {text!r}") from None


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    """Read APP_ROLE and the optional --entra-object-id."""
    parser = argparse.ArgumentParser(prog="grant_app_role.py")
    parser.add_argument("app_role", help="PostgreSQL role of the app (its managed identity name)")
    parser.add_argument("--entra-object-id", type=_object_id, default=None,
                        help="object id of the app identity: create its Entra role when missing")
    arguments = parser.parse_args(argv)
    if not arguments.app_role.strip():
        parser.error("APP_ROLE is empty")
    arguments.app_role = arguments.app_role.strip()
    return arguments


def main(argv: list[str]) -> None:
    """Connect as the migration principal, create the app role when asked, and grant it DML."""
    import psycopg2
    from psycopg2.extensions import make_dsn

    arguments = parse_arguments(argv[1:])
    sign_in = sign_in_from_environment()
    password = PostgresCredentials(sign_in).password()
    extra = {"password": password} if password else {}
    if arguments.entra_object_id:
        admin = psycopg2.connect(make_dsn(sign_in.postgres_dsn, dbname="postgres"), connect_timeout=15, **extra)
        try:
            if create_entra_principal(admin, arguments.app_role, arguments.entra_object_id):
                print(f"grant_app_role: created the Entra role {arguments.app_role}")
        finally:
            admin.close()
    connection = psycopg2.connect(sign_in.postgres_dsn, connect_timeout=15, **extra)
    try:
        grant_app_role(connection, arguments.app_role)
    finally:
        connection.close()
    print(f"grant_app_role: {arguments.app_role} may read and write the application tables")


if __name__ == "__main__":
    main(sys.argv)
