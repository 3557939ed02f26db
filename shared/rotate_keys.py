"""Re-encrypt every stored token under the active key: `python -m shared.rotate_keys`.

Safe while the app runs: rows are re-encrypted in small transactions, each row under its lock
(`FOR UPDATE SKIP LOCKED`, so a row a worker is refreshing is left for a later pass; that worker
writes it under the active key anyway). It exits 0 once no row uses another key, else 1.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Any

from shared.crypto import Keyring
from shared.errors import CryptoError
from shared.store import key_rotation

BATCH_SIZE = 50
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RotationRun:
    """Counts of one run: rows re-encrypted, rows whose key is gone, rows still under another key."""

    reencrypted: int
    unreadable: int
    remaining: int


def reencrypt_all(database: Any, keyring: Keyring, *, batch_size: int = BATCH_SIZE) -> RotationRun:
    """Re-encrypt, batch by batch, every row whose `token_key_id` is not the active key."""
    done, unreadable = 0, []
    while True:
        with database.transaction() as cursor:
            batch = key_rotation.lock_rows_needing_key(cursor, keyring.active_key_id, skip=unreadable,
                                                       limit=batch_size)
            for connection_id in batch:
                cursor.execute("SAVEPOINT reencrypt_one")
                try:
                    key_rotation.reencrypt_row(cursor, keyring, connection_id)
                    done += 1
                except CryptoError:
                    cursor.execute("ROLLBACK TO SAVEPOINT reencrypt_one")
                    unreadable.append(connection_id)
                    log.warning("connection %s: tokens cannot be decrypted with the keyring; left as they are",
                                connection_id)
                cursor.execute("RELEASE SAVEPOINT reencrypt_one")
        if len(batch) < batch_size:
            break
    with database.transaction() as cursor:
        remaining = key_rotation.count_rows_needing_key(cursor, keyring.active_key_id)
    return RotationRun(done, len(unreadable), remaining)


def main() -> int:
    """Run with the app settings; report counts; 0 when every row is under the active key."""
    from shared.crypto import get_keyring
    from shared.db import get_database

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    keyring = get_keyring()
    run = reencrypt_all(get_database(), keyring)
    log.info("key %s: %d rows re-encrypted, %d unreadable, %d still under another key%s", keyring.active_key_id,
             run.reencrypted, run.unreadable, run.remaining, " (run again)" if run.remaining else "")
    return 0 if run.remaining == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
