"""Signed Withings calls: HMAC-SHA256 of the signed values (docs/providers/withings.md 2.4)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping


def sign(values: Mapping[str, str], client_secret: str) -> str:
    """Return the hex HMAC-SHA256, keyed by the client secret, of the values sorted by name and comma-joined."""
    message = ",".join(str(values[name]) for name in sorted(values))
    return hmac.new(client_secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()
