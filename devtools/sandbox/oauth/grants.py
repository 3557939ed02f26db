"""Authorization codes, grants and access/refresh tokens of the imitated OAuth servers."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class AuthCode:
    """An issued authorization code and what it was issued for."""

    provider: str  # the authorization server
    client_id: str
    user: str
    scopes: tuple[str, ...]
    redirect_uri: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    issue_refresh_token: bool
    expires_at: float


@dataclass(frozen=True)
class Grant:
    """A user's authorization of a client: the scopes it may use."""

    grant_id: str
    provider: str
    client_id: str
    user: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class TokenInfo:
    """A live access token's grant and expiry (epoch seconds)."""

    grant: Grant
    expires_at: float


class GrantStore:
    """Thread-safe store of codes, grants and tokens for every imitated authorization server."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Forget every code, grant, token and consent."""
        with self._lock:
            self._codes: dict[str, AuthCode] = {}
            self._grants: dict[str, Grant] = {}
            self._access: dict[str, tuple[str, float]] = {}
            self._refresh: dict[str, str] = {}
            self._used_refresh: set[str] = set()
            self._consents: dict[tuple[str, str], tuple[str, ...]] = {}

    def now(self) -> float:
        """Return the store's current time (epoch seconds)."""
        return self._clock()

    def issue_code(self, code: str, details: AuthCode) -> str:
        """Store an authorization code and record the user's consent for the client."""
        with self._lock:
            self._codes[code] = details
            self._consents[(details.client_id, details.user)] = details.scopes
        return code

    def consume_code(self, code: str) -> AuthCode | None:
        """Remove and return an authorization code (single use), or None when unknown."""
        with self._lock:
            return self._codes.pop(code, None)

    def consented_scopes(self, client_id: str, user: str) -> tuple[str, ...] | None:
        """Return the scopes the user last consented to for the client, None if never (or revoked)."""
        with self._lock:
            return self._consents.get((client_id, user))

    def create_grant(self, provider: str, client_id: str, user: str, scopes: tuple[str, ...]) -> Grant:
        """Create a new grant."""
        grant = Grant(secrets.token_hex(8), provider, client_id, user, scopes)
        with self._lock:
            self._grants[grant.grant_id] = grant
        return grant

    def issue_access_token(self, grant: Grant, token: str, lifetime: float) -> str:
        """Store an access token of `grant` valid for `lifetime` seconds."""
        with self._lock:
            self._access[token] = (grant.grant_id, self._clock() + lifetime)
        return token

    def issue_refresh_token(self, grant: Grant, token: str) -> str:
        """Store a refresh token of `grant`."""
        with self._lock:
            self._refresh[token] = grant.grant_id
        return token

    def lookup_access_token(self, token: str) -> TokenInfo | None:
        """Return a live (unexpired, unrevoked) access token's info, or None."""
        with self._lock:
            entry = self._access.get(token)
            if entry is None or entry[1] <= self._clock() or entry[0] not in self._grants:
                return None
            return TokenInfo(self._grants[entry[0]], entry[1])

    def redeem_refresh_token(self, token: str, client_id: str, *, single_use: bool) -> Grant | None:
        """Return the grant of a live refresh token of `client_id`, or None.

        With `single_use` the token is spent by this call, whether or not the caller succeeds.
        """
        with self._lock:
            grant_id = self._refresh.get(token)
            grant = self._grants.get(grant_id) if grant_id else None
            if grant is None or grant.client_id != client_id:
                return None
            if single_use:
                del self._refresh[token]
                self._used_refresh.add(token)
            return grant

    def was_used(self, token: str) -> bool:
        """Tell whether `token` is a spent single-use refresh token."""
        with self._lock:
            return token in self._used_refresh

    def grant_of_token(self, token: str) -> Grant | None:
        """Return the live grant an access or refresh token belongs to, or None."""
        with self._lock:
            grant_id = self._refresh.get(token) or (self._access.get(token) or (None,))[0]
            return self._grants.get(grant_id) if grant_id else None

    def revoke_grant(self, grant_id: str) -> None:
        """Revoke a grant: its tokens die and its consent is forgotten."""
        with self._lock:
            grant = self._grants.pop(grant_id, None)
            if grant is None:
                return
            self._access = {t: e for t, e in self._access.items() if e[0] != grant_id}
            self._refresh = {t: g for t, g in self._refresh.items() if g != grant_id}
            still_granted = any(g.client_id == grant.client_id and g.user == grant.user
                                for g in self._grants.values())
            if not still_granted:
                self._consents.pop((grant.client_id, grant.user), None)

    def grants(self, provider: str | None = None, user: str | None = None) -> list[Grant]:
        """Return the live grants, optionally of one provider and/or user."""
        with self._lock:
            return [g for g in self._grants.values()
                    if (provider is None or g.provider == provider) and (user is None or g.user == user)]

    def token_counts(self, grant_id: str) -> tuple[int, int]:
        """Return (live access tokens, refresh tokens) of a grant."""
        with self._lock:
            now = self._clock()
            access = sum(1 for g, exp in self._access.values() if g == grant_id and exp > now)
            return access, sum(1 for g in self._refresh.values() if g == grant_id)

    def expire_access_tokens(self, provider: str | None = None, user: str | None = None) -> int:
        """Make matching access tokens expired now; return how many."""
        with self._lock:
            now = self._clock()
            matched = 0
            for token, (grant_id, expires_at) in list(self._access.items()):
                grant = self._grants.get(grant_id)
                if grant and expires_at > now and (provider in (None, grant.provider)) \
                        and (user in (None, grant.user)):
                    self._access[token] = (grant_id, now)
                    matched += 1
            return matched

    def expire_code(self, code: str) -> bool:
        """Make an authorization code expired now; return whether it existed."""
        with self._lock:
            details = self._codes.get(code)
            if details is None:
                return False
            self._codes[code] = replace(details, expires_at=self._clock())
            return True
