"""Decide whether a `return_to` URL is on the allowlist (no open redirect) and add the result to it."""

from __future__ import annotations

from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

from shared.errors import RequestError


def _parts(url: str) -> SplitResult | None:
    if any(ch in url for ch in "\\\r\n\t ") or any(ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        return None
    if "%" in parts.netloc or (port is not None and str(port) not in parts.netloc):
        return None
    return parts


def _origin(parts: SplitResult) -> tuple[str, str, int]:
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


def allowed_return_to(url: str, allowlist: tuple[str, ...]) -> str:
    """Return `url` when it is an absolute URL under one allowlist entry.

    An entry is an origin (`https://app.example`) or a URL prefix (`https://app.example/connect`):
    same scheme, host and port, and a path equal to the prefix or below it.

    Raises:
        RequestError: 400 `return_to_not_allowed`.
    """
    candidate = _parts(url)
    if candidate is not None and ".." not in candidate.path.split("/") and "%2e" not in candidate.path.lower():
        for entry in allowlist:
            allowed = _parts(entry)
            if allowed is None or _origin(allowed) != _origin(candidate):
                continue
            prefix = allowed.path.rstrip("/")
            if not prefix or candidate.path == prefix or candidate.path.startswith(prefix + "/"):
                return url
    raise RequestError(400, "return_to_not_allowed", "return_to is not an allowed address")


def with_result(return_to: str, **params: str) -> str:
    """Return `return_to` with the result parameters set in its query string."""
    parts = urlsplit(return_to)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key not in params]
    query.extend(params.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
