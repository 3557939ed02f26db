"""The one HTTP layer for provider calls: a retrying session, the error table, bearer auth with refresh."""
