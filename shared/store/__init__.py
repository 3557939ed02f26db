"""Persistence: every SQL statement of the app lives in this package."""
