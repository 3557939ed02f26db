"""Parsers of app-setting values: each returns the typed value or raises ValueError saying what it expected."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from datetime import date


def text(raw: str) -> str:
    """Return non-empty text."""
    if not raw.strip():
        raise ValueError("must not be empty")
    return raw.strip()


def optional_text(raw: str) -> str | None:
    """Return the text, or None when empty."""
    return raw.strip() or None


def url(raw: str) -> str:
    """Return an http(s) URL without its trailing slash."""
    value = raw.strip()
    if not re.match(r"^https?://[^\s/]+", value):
        raise ValueError("expected an http(s) URL")
    return value.rstrip("/")


def optional_url(raw: str) -> str | None:
    """Return a URL, or None when empty."""
    return url(raw) if raw.strip() else None


def secure_url(raw: str) -> str:
    """Return an https URL (plain http only for a loopback host: local development)."""
    value = url(raw)
    if value.lower().startswith("http://") and not is_loopback_url(value):
        raise ValueError("expected an https URL (http only for loopback addresses)")
    return value


def optional_secure_url(raw: str) -> str | None:
    """Return an https (or loopback) URL, or None when empty."""
    return secure_url(raw) if raw.strip() else None


def is_loopback_url(value: str) -> bool:
    """Tell whether a URL's host is `localhost` or a loopback address (127.0.0.0/8, ::1)."""
    import ipaddress
    from urllib.parse import urlsplit

    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def positive_int(raw: str) -> int:
    """Return a whole number greater than 0."""
    try:
        value = int(raw.strip())
    except ValueError:
        raise ValueError("expected a whole number") from None
    if value <= 0:
        raise ValueError("expected a number greater than 0")
    return value


def bool_value(raw: str) -> bool:
    """Return true/false from 1/0, true/false, yes/no, on/off."""
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true or false")


def iso_date(raw: str) -> date:
    """Return a YYYY-MM-DD date."""
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError("expected a date YYYY-MM-DD") from None


def optional_iso_date(raw: str) -> date | None:
    """Return a YYYY-MM-DD date, or None when empty."""
    return iso_date(raw) if raw.strip() else None


def csv(raw: str) -> tuple[str, ...]:
    """Return the items of a comma-separated list."""
    items = tuple(item.strip() for item in raw.split(",") if item.strip())
    if not items:
        raise ValueError("expected a comma-separated list")
    return items


def choice(*allowed: str) -> Callable[[str], str]:
    """Return a parser accepting one of `allowed` (case-insensitive)."""
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}")
        return value

    return parse


def ncrontab(raw: str) -> str:
    """Return a 6-field NCRONTAB expression."""
    value = raw.strip()
    if len(value.split()) != 6:
        raise ValueError("expected a 6-field NCRONTAB expression (second minute hour day month weekday)")
    return value


def provider_minutes(raw: str) -> tuple[tuple[str, int], ...]:
    """Parse `provider=minutes[,provider=minutes...]`."""
    result: dict[str, int] = {}
    for item in raw.split(","):
        if not item.strip():
            continue
        name, sep, minutes = item.partition("=")
        if not sep or not re.fullmatch(r"[a-z_]+", name.strip()):
            raise ValueError("expected provider=minutes entries separated by commas")
        result[name.strip()] = positive_int(minutes)
    return tuple(sorted(result.items()))


def keyring(raw: str) -> dict[str, bytes]:
    """Parse `id:base64key[,id:base64key...]`; each key is 32 bytes (AES-256)."""
    keys: dict[str, bytes] = {}
    for item in raw.split(","):
        key_id, sep, encoded = item.strip().partition(":")
        if not sep or not re.fullmatch(r"[A-Za-z0-9_.-]{1,32}", key_id):
            raise ValueError("expected id:base64key entries separated by commas")
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"key {key_id} is not valid base64") from None
        if len(key) != 32:
            raise ValueError(f"key {key_id} must decode to 32 bytes")
        if key_id in keys:
            raise ValueError(f"key id {key_id} appears twice")
        keys[key_id] = key
    return keys
