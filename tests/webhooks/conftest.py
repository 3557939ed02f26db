"""Webhook tests start with no replay digests and no notification times."""

import pytest


@pytest.fixture
def webhook_tables(database):
    """Empty the webhook tables that do not hang off a connection."""
    with database.transaction() as cursor:
        cursor.execute("TRUNCATE webhook_seen, webhook_health")
    return database
