"""Open PostgreSQL connections for the app and run statements in transactions.

One small pool per worker process; connections are made with the current sign-in material
(a password, or a fresh Microsoft Entra token), so a pool survives token rotation. A DSN with
`sslmode=verify-full` (or verify-ca) and no `sslrootcert` verifies the server against the Azure
PostgreSQL roots (shared/pg_tls.py).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shared.config import Settings

_POOL_SIZE = 4


class Database:
    """A tiny connection pool over psycopg2 for one DSN."""

    def __init__(self, settings: Settings) -> None:
        from shared.pg_credentials import PostgresCredentials

        self._dsn = settings.postgres_dsn
        self._credentials = PostgresCredentials(settings)
        self._idle: list[Any] = []
        self._lock = threading.Lock()

    def _connect(self) -> Any:
        import psycopg2

        from shared.pg_tls import with_root_certificates

        password = self._credentials.password()
        extra = {"password": password} if password else {}
        dsn = with_root_certificates(self._dsn)
        return psycopg2.connect(dsn, connect_timeout=10, application_name="personicle-connect", **extra)

    @contextlib.contextmanager
    def connection(self) -> Iterator[Any]:
        """Lend a connection; it goes back to the pool unless it broke."""
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None or conn.closed:
            conn = self._connect()
        healthy = True
        try:
            yield conn
        except BaseException:
            healthy = not conn.closed
            if healthy:
                conn.rollback()
            raise
        finally:
            with self._lock:
                if healthy and not conn.closed and len(self._idle) < _POOL_SIZE:
                    self._idle.append(conn)
                    conn = None
            if conn is not None and not conn.closed:
                conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """Yield a cursor inside one transaction: committed on success, rolled back on error."""
        with self.connection() as conn:
            with conn:
                with conn.cursor() as cursor:
                    yield cursor

    def close(self) -> None:
        """Close every idle connection."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


_database: Database | None = None
_database_lock = threading.Lock()


def get_database() -> Database:
    """Return the process-wide database, created on first use."""
    global _database
    with _database_lock:
        if _database is None:
            from shared.config import get_settings

            _database = Database(get_settings())
        return _database
