"""Fitbit, whose data comes through the Google Health API (docs/providers/fitbit.md)."""
