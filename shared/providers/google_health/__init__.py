"""Fitbit data through the Google Health API: data types, requests, paging and stream declarations."""

from shared.providers.google_health.streams import FITBIT_STREAMS

__all__ = ["FITBIT_STREAMS"]
