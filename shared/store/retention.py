"""SQL of the retention purge: for each table, which rows are past their retention.

Adding a table is one line in `PURGES`; a table not (yet) created by the migrations is skipped.
Deleting a connection deletes its sync cursors (ON DELETE CASCADE).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.store.user_data import table_exists

# (table, condition on %(revoked_before)s and %(day_ago)s)
PURGES = (
    ("connections", "status = 'revoked' AND revoked_at < %(revoked_before)s"),
    ("oauth_states", "used_at < %(day_ago)s OR expires_at < %(day_ago)s"),
    ("pending_links", "expires_at < %(day_ago)s"),
)


def purge_expired_rows(cursor: Any, *, revoked_before: datetime, day_ago: datetime) -> dict[str, int]:
    """Delete the rows past their retention; return the count per existing table."""
    deleted = {}
    for table, condition in PURGES:
        if table_exists(cursor, table):
            cursor.execute(f"DELETE FROM {table} WHERE {condition}",
                           {"revoked_before": revoked_before, "day_ago": day_ago})
            deleted[table] = cursor.rowcount
    return deleted
