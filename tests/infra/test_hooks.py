"""Deploy hooks: the app role gets DML (not DDL) on migrated tables; the hooks stop with clear errors."""

import os
import secrets
import shutil
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


def test_grant_script_leaves_an_existing_app_role_as_it_is(scratch_database):
    dsn, role = scratch_database
    run = subprocess.run([sys.executable, str(HOOKS / "grant_app_role.py"), role,
                          "--entra-object-id", "00000000-0000-0000-0000-0000000000a1"],
                         env={**os.environ, "POSTGRES_DSN": dsn, "POSTGRES_AUTH": "password"},
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "created the Entra role" not in run.stdout
    assert f"{role} may read and write the application tables" in run.stdout


def test_grant_script_explains_that_entra_roles_need_an_azure_server(scratch_database):
    dsn, _ = scratch_database
    run = subprocess.run([sys.executable, str(HOOKS / "grant_app_role.py"), "id-missing",
                          "--entra-object-id", "00000000-0000-0000-0000-0000000000a1"],
                         env={**os.environ, "POSTGRES_DSN": dsn, "POSTGRES_AUTH": "password"},
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "pgaadauth_create_principal_with_oid" in run.stderr


def test_grant_script_refuses_an_object_id_that_is_not_a_guid():
    run = subprocess.run([sys.executable, str(HOOKS / "grant_app_role.py"), "id-x", "--entra-object-id", "id-x"],
                         env={**os.environ, "POSTGRES_DSN": "host=unused"}, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "not a Microsoft Entra object id" in run.stderr


AZD_OUTPUTS = {
    "POSTGRES_HOST": "psql-x.postgres.database.azure.com",
    "POSTGRES_DATABASE": "personicle",
    "POSTGRES_APP_ROLE": "id-x",
    "POSTGRES_APP_PRINCIPAL_ID": "00000000-0000-0000-0000-0000000000a1",
    "POSTGRES_MIGRATION_ROLE": "someone@example.com",
}


@pytest.mark.parametrize("missing", sorted(AZD_OUTPUTS), ids=sorted(AZD_OUTPUTS))
def test_migrate_hook_names_what_is_missing(missing):
    env = {"PATH": os.environ["PATH"], **{k: v for k, v in AZD_OUTPUTS.items() if k != missing}}
    run = subprocess.run(["sh", str(HOOKS / "migrate.sh")], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    named = "migration principal" if missing == "POSTGRES_MIGRATION_ROLE" else missing
    assert named in run.stderr


PRINCIPAL = {
    "POSTGRES_MIGRATION_PRINCIPAL_NAME": "db-admins",
    "POSTGRES_MIGRATION_PRINCIPAL_ID": "00000000-0000-0000-0000-0000000000b2",
    "POSTGRES_MIGRATION_PRINCIPAL_TYPE": "Group",
}


def _tool_path(tmp_path: Path, az_group_name: str | None = None) -> str:
    """Return a PATH with the basic tools the hook uses and, if a name is given, an `az` that knows one group."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    for tool in ("cat", "grep", "printf"):
        found = shutil.which(tool)
        if found:
            (tmp_path / tool).symlink_to(found)
    if az_group_name is not None:
        az = tmp_path / "az"
        az.write_text("#!/bin/sh\n"
                      f'[ "$1 $2 $3 $4 $5" = "ad group show --group {PRINCIPAL["POSTGRES_MIGRATION_PRINCIPAL_ID"]}" ]'
                      f" && echo '{az_group_name}' && exit 0\nexit 3\n")
        az.chmod(0o755)
    return str(tmp_path)


def _preprovision(path: str, **values: str) -> subprocess.CompletedProcess:
    return subprocess.run(["/bin/sh", str(HOOKS / "preprovision.sh")], capture_output=True, text=True,
                          timeout=60, env={"PATH": path, **values})


def test_preprovision_hook_keeps_a_complete_principal_and_explains_when_it_cannot_choose(tmp_path):
    path = _tool_path(tmp_path)  # no Azure CLI, whatever this machine has installed
    chosen = _preprovision(path, **PRINCIPAL)
    assert chosen.returncode == 0, chosen.stderr
    assert "Group db-admins" in chosen.stdout
    unknown = _preprovision(path)
    assert unknown.returncode == 1
    assert "azd env set POSTGRES_MIGRATION_PRINCIPAL_NAME" in unknown.stderr


@pytest.mark.parametrize(("change", "message"), [
    ({"POSTGRES_MIGRATION_PRINCIPAL_ID": ""}, "missing: POSTGRES_MIGRATION_PRINCIPAL_ID"),
    ({"POSTGRES_MIGRATION_PRINCIPAL_TYPE": "", "POSTGRES_MIGRATION_PRINCIPAL_NAME": ""},
     "missing: POSTGRES_MIGRATION_PRINCIPAL_NAME POSTGRES_MIGRATION_PRINCIPAL_TYPE"),
    ({"POSTGRES_MIGRATION_PRINCIPAL_TYPE": "Admin"}, "expected User, Group or ServicePrincipal"),
    ({"POSTGRES_MIGRATION_PRINCIPAL_ID": "db-admins"}, "expected an object id (GUID)"),
], ids=["no-id", "only-id", "bad-type", "id-not-guid"])
def test_preprovision_hook_refuses_a_partial_or_malformed_principal(tmp_path, change, message):
    run = _preprovision(_tool_path(tmp_path), **{**PRINCIPAL, **change})
    assert run.returncode == 1
    assert message in run.stderr


def test_preprovision_hook_checks_the_name_against_the_object_id(tmp_path):
    matching = _preprovision(_tool_path(tmp_path / "a", az_group_name="db-admins"), **PRINCIPAL)
    assert matching.returncode == 0, matching.stderr
    renamed = _preprovision(_tool_path(tmp_path / "b", az_group_name="Database admins"), **PRINCIPAL)
    assert renamed.returncode == 1
    assert "named 'Database admins' in Microsoft Entra ID, not 'db-admins'" in renamed.stderr
    wrong_kind = _preprovision(_tool_path(tmp_path / "c", az_group_name="db-admins"),
                               **{**PRINCIPAL, "POSTGRES_MIGRATION_PRINCIPAL_TYPE": "User"})
    assert wrong_kind.returncode == 1
    assert "no User with object id" in wrong_kind.stderr
