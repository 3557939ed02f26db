"""Connection leases: at most one download job works on a connection at a time.

A job takes the lease before it reads anything and gives it back when it ends; a lease whose job
crashed expires on its own. Disconnecting or reconnecting clears the lease, which tells the running
job, at its next page, that its connection is no longer the one it started with.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any


def acquire_lease(cursor: Any, connection_id: uuid.UUID, holder: uuid.UUID, *, now: datetime,
                  until: datetime) -> bool:
    """Take the lease of an active connection unless a live one is held; return True when taken."""
    cursor.execute(
        "UPDATE connections SET lease_holder = %s, lease_until = %s"
        " WHERE id = %s AND status = 'active' AND (lease_until IS NULL OR lease_until <= %s) RETURNING id",
        (str(holder), until, str(connection_id), now))
    return cursor.fetchone() is not None


def release_lease(cursor: Any, connection_id: uuid.UUID, holder: uuid.UUID) -> None:
    """Give the lease back (nothing happens when another holder has it by now)."""
    cursor.execute("UPDATE connections SET lease_holder = NULL, lease_until = NULL WHERE id = %s AND lease_holder = %s",
                   (str(connection_id), str(holder)))


def lock_if_held(cursor: Any, connection_id: uuid.UUID, holder: uuid.UUID) -> bool:
    """Share-lock the row while the connection is active and `holder` has its lease; return whether it is.

    The lock lasts until the transaction ends, so a disconnect (an UPDATE of the row) waits for it.
    """
    cursor.execute("SELECT 1 FROM connections WHERE id = %s AND status = 'active' AND lease_holder = %s FOR SHARE",
                   (str(connection_id), str(holder)))
    return cursor.fetchone() is not None
