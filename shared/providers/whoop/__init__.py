"""WHOOP, Developer Platform API v2 (docs/providers/whoop.md)."""
