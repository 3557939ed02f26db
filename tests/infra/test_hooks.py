"""Deploy hooks: the app role gets DML (not DDL) on migrated tables; the hooks stop with clear errors."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from psycopg2.extensions import make_dsn, parse_dsn

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / "infra" / "hooks"


@pytest.fixture
def scratch_database():
    """Create a throw-away database and app role; yield (dsn, role); drop both afterwards."""
    base = parse_dsn(os.environ["POSTGRES_DSN"])
    # The local cluster's superuser stands in for the Entra administrator that creates roles in Azure.
    admin = psycopg2.connect(make_dsn(**{**base, "user": "postgres", "dbname": "postgres"}))
    admin.autocommit = True
    name = f"grant_test_{secrets.token_hex(4)}"
    role = f"app-{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        cursor.execute(f'CREATE DATABASE {name} OWNER {base["user"]}')
    try:
        yield make_dsn(**{**base, "dbname": name}), role
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
        admin.close()


def _privileges(dsn: str, role: str, table: str) -> dict[str, bool]:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        checks = {p: f"has_table_privilege(%(role)s, %(table)s, '{p}')"
                  for p in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")}
        checks["CREATE ON SCHEMA"] = "has_schema_privilege(%(role)s, 'public', 'CREATE')"
        checks["SEQUENCE"] = "has_sequence_privilege(%(role)s, %(table)s || '_id_seq', 'USAGE')"
        cursor.execute("SELECT " + ", ".join(checks.values()), {"role": role, "table": table})
        return dict(zip(checks, cursor.fetchone()))


def test_grant_script_gives_the_app_role_dml_on_present_and_future_tables(scratch_database):
    dsn, role = scratch_database
    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute("CREATE TABLE migrated (id bigserial PRIMARY KEY, note text)")
    run = subprocess.run([sys.executable, str(HOOKS / "grant_app_role.py"), role], cwd="/",
                         env={**os.environ, "POSTGRES_DSN": dsn, "POSTGRES_AUTH": "password"},
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute("CREATE TABLE later (id bigserial PRIMARY KEY)")
    expected = {"SELECT": True, "INSERT": True, "UPDATE": True, "DELETE": True, "TRUNCATE": False,
                "CREATE ON SCHEMA": False, "SEQUENCE": True}
    assert _privileges(dsn, role, "migrated") == expected
    assert _privileges(dsn, role, "later") == expected


def test_grant_script_is_idempotent(scratch_database):
    dsn, role = scratch_database
    env = {**os.environ, "POSTGRES_DSN": dsn, "POSTGRES_AUTH": "password"}
    for _ in range(2):
        run = subprocess.run([sys.executable, str(HOOKS / "grant_app_role.py"), role],
                             env=env, capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr


def test_migrate_module_needs_only_the_database_settings(scratch_database):
    dsn, _ = scratch_database
    env = {"PATH": os.environ["PATH"], "POSTGRES_DSN": dsn, "POSTGRES_AUTH": "password"}
    run = subprocess.run([sys.executable, "-m", "shared.migrate"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.connections') IS NOT NULL")
        assert cursor.fetchone() == (True,)


AZD_OUTPUTS = {
    "POSTGRES_HOST": "psql-x.postgres.database.azure.com",
    "POSTGRES_DATABASE": "personicle",
    "POSTGRES_APP_ROLE": "id-x",
    "POSTGRES_MIGRATION_ROLE": "someone@example.com",
}


@pytest.mark.parametrize("missing", sorted(AZD_OUTPUTS), ids=sorted(AZD_OUTPUTS))
def test_migrate_hook_names_what_is_missing(missing):
    env = {"PATH": os.environ["PATH"], **{k: v for k, v in AZD_OUTPUTS.items() if k != missing}}
    run = subprocess.run(["sh", str(HOOKS / "migrate.sh")], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    named = "migration principal" if missing == "POSTGRES_MIGRATION_ROLE" else missing
    assert named in run.stderr


def test_preprovision_hook_keeps_a_chosen_principal_and_explains_when_it_cannot_choose(tmp_path):
    # A PATH holding only `cat`: no Azure CLI, whatever this machine has installed.
    (tmp_path / "cat").symlink_to(subprocess.run(["sh", "-c", "command -v cat"], capture_output=True,
                                                 text=True, check=True).stdout.strip())
    hook = ["/bin/sh", str(HOOKS / "preprovision.sh")]
    chosen = subprocess.run(hook, capture_output=True, text=True, timeout=60,
                            env={"PATH": str(tmp_path), "POSTGRES_MIGRATION_PRINCIPAL_NAME": "db-admins"})
    assert chosen.returncode == 0
    assert "db-admins" in chosen.stdout
    unknown = subprocess.run(hook, capture_output=True, text=True, timeout=60, env={"PATH": str(tmp_path)})
    assert unknown.returncode == 1
    assert "azd env set POSTGRES_MIGRATION_PRINCIPAL_NAME" in unknown.stderr
