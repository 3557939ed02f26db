"""Google's authorization server key, and codes and tokens shaped like Google's."""

from __future__ import annotations

import secrets

SERVER = "google"  # the key of Google's clients and grants


def google_access_token() -> str:
    """Return a token shaped like a Google access token."""
    return "ya29.sandbox-" + secrets.token_urlsafe(48)


def google_refresh_token() -> str:
    """Return a token shaped like a Google refresh token."""
    return "1//sandbox-" + secrets.token_urlsafe(48)


def google_code() -> str:
    """Return a code shaped like a Google authorization code."""
    return "4/0Asandbox-" + secrets.token_urlsafe(32)
