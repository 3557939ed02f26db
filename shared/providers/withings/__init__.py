"""Withings Public Health Data API (reference: docs/providers/withings.md)."""
