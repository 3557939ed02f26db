"""Oura, API v2 (docs/providers/oura.md)."""
