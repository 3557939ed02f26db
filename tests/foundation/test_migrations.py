"""Migrations apply to an empty database and re-apply as a no-op."""

import uuid

import psycopg2
import pytest

from shared.config import get_settings
from shared.migrate import apply_migrations, database_uri

TABLES = {"connections", "oauth_states", "sync_cursors"}


@pytest.fixture
def empty_database(migrated_database):
    """Create a throwaway database on the test server and point a copy of the settings at it."""
    settings = get_settings()
    name = f"migrations_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(settings.postgres_dsn)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    from dataclasses import replace

    from psycopg2.extensions import make_dsn

    yield replace(settings, postgres_dsn=make_dsn(settings.postgres_dsn, dbname=name))
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.close()


def _tables(settings):
    with psycopg2.connect(settings.postgres_dsn) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {row[0] for row in cursor.fetchall()}


def test_apply_to_empty_database_then_reapply_is_a_no_op(empty_database):
    assert not TABLES & _tables(empty_database)
    first = apply_migrations(empty_database)
    assert first == ["0001_initial", "0002_withings_provider"]
    assert TABLES <= _tables(empty_database)
    assert apply_migrations(empty_database) == []
    assert TABLES <= _tables(empty_database)


def test_timer_queries_have_their_indexes(empty_database):
    apply_migrations(empty_database)
    with psycopg2.connect(empty_database.postgres_dsn) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'connections'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert {"connections_refresh_due", "connections_refresh_aging", "connections_sync_due",
            "connections_provider_account"} <= indexes


def test_database_uri_keeps_every_connection_parameter():
    from dataclasses import replace

    settings = replace(get_settings(), postgres_dsn="host=db.example port=5433 dbname=p user=u@x sslmode=require")
    assert database_uri(settings) == "postgresql://u%40x@db.example:5433/p?sslmode=require"
