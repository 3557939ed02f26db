"""SQL of a user's erasure: every table holding a user's rows, and how those rows are found.

Adding a table that holds user data is one line in `USER_TABLES`. A table not (yet) created by the
migrations is skipped.
"""

from __future__ import annotations

from typing import Any

# (table, condition on the user id), children before their parents.
USER_TABLES = (
    ("sync_cursors", "connection_id IN (SELECT id FROM connections WHERE user_id = %(user)s)"),
    ("oauth_states", "user_id = %(user)s"),
    ("pending_links", "user_id = %(user)s"),
    ("connections", "user_id = %(user)s"),
)


def table_exists(cursor: Any, table: str) -> bool:
    """Tell whether a table exists in the current schema path."""
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", (table,))
    return bool(cursor.fetchone()[0])


def delete_user_rows(cursor: Any, user_id: str) -> dict[str, int]:
    """Delete every row of the user; return the count deleted per existing table."""
    deleted = {}
    for table, condition in USER_TABLES:
        if table_exists(cursor, table):
            cursor.execute(f"DELETE FROM {table} WHERE {condition}", {"user": user_id})
            deleted[table] = cursor.rowcount
    return deleted
