"""Helpers for tests that drive the sandbox over HTTP: PKCE pairs, the consent step, demo tokens."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Iterable
from html import unescape
from urllib.parse import parse_qs, urlsplit, urlunsplit

import requests

_GRANTED = re.compile(r'name="granted" value="([^"]*)"')
_ERROR_CODE = re.compile(r'id="error-code">([^<]*)<')


class ConsentError(RuntimeError):
    """The authorization server showed an error page instead of the consent page."""

    def __init__(self, status: int, error: str) -> None:
        super().__init__(f"authorization refused with HTTP {status}: {error}")
        self.status = status
        self.error = error


def pkce_pair() -> tuple[str, str]:
    """Return a PKCE (verifier, S256 challenge) pair."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize(authorization_url: str, *, user: str = "alice", approve: bool = True,
              granted: Iterable[str] | None = None, timeout: float = 10.0) -> str:
    """Open the consent page and submit it as a person would; return the redirect Location.

    Args:
        authorization_url: the provider authorization URL the app built.
        user: sandbox account to choose (a demo user or any valid name).
        approve: press Approve (True) or Deny (False).
        granted: scopes to leave ticked (default: every requested scope).
        timeout: seconds per HTTP call.

    Raises:
        ConsentError: the server answered with an error page (bad client, redirect URI, ...).
    """
    page = requests.get(authorization_url, timeout=timeout, allow_redirects=False)
    if page.status_code != 200:
        found = _ERROR_CODE.search(page.text)
        raise ConsentError(page.status_code, unescape(found.group(1)) if found else page.text[:200])
    offered = [unescape(v) for v in _GRANTED.findall(page.text)]
    ticked = offered if granted is None else [s for s in granted if s in offered]
    parts = urlsplit(authorization_url)
    fields: list[tuple[str, str]] = [(k, v) for k, values in parse_qs(parts.query, keep_blank_values=True).items()
                                     for v in values]
    fields += [("user", user), ("decision", "approve" if approve else "deny")]
    fields += [("granted", scope) for scope in ticked]
    action = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    answer = requests.post(action, data=fields, timeout=timeout, allow_redirects=False)
    if answer.status_code != 302:
        found = _ERROR_CODE.search(answer.text)
        raise ConsentError(answer.status_code, unescape(found.group(1)) if found else answer.text[:200])
    return answer.headers["Location"]


def demo_token(sandbox_url: str, user: str = "alice", timeout: float = 10.0) -> str:
    """Return a Personicle bearer token for a sandbox user (a demo user or any valid name) from a running sandbox."""
    answer = requests.post(f"{sandbox_url.rstrip('/')}/oidc/demo-token", json={"user": user}, timeout=timeout)
    answer.raise_for_status()
    return answer.json()["access_token"]
