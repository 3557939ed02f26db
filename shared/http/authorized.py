"""Provider data calls for one connection: bearer auth that refreshes once on 401, then the error table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from shared.errors import ReauthRequired
from shared.http.errors import ErrorQuirk
from shared.http.session import bearer, request_json


class AccessTokens(Protocol):
    """Hands out a valid access token; `rejected` forces a refresh unless another worker refreshed already."""

    def access_token(self, *, rejected: str | None = None) -> str:
        """Return a valid access token."""


class CallBudget(Protocol):
    """Counts each call against the app's shared request budget; raises `BudgetSpent` when it has no room."""

    def spend(self) -> None:
        """Count one call about to be made."""


class _Unlimited:
    def spend(self) -> None:
        """Every call passes."""


class AuthorizedApi:
    """GET/POST provider data with the connection's token; a 401 refreshes once and retries once.

    Each call first spends one call of the app-wide budget (`budget`), so a spent budget stops the job
    before the call is made.
    """

    def __init__(self, provider: str, tokens: AccessTokens, quirk: ErrorQuirk | None = None,
                 budget: CallBudget | None = None) -> None:
        self._provider = provider
        self._tokens = tokens
        self._quirk = quirk
        self._budget = budget or _Unlimited()
        self.calls = 0

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET `url` and return its JSON body."""
        return self._call("GET", url, params=params)

    def post_json(self, url: str, body: Any) -> Any:
        """POST a JSON body and return the JSON answer."""
        return self._call("POST", url, json=body)

    def post_form(self, url: str, form: Mapping[str, Any]) -> Any:
        """POST form fields (`application/x-www-form-urlencoded`) and return the JSON answer."""
        return self._call("POST", url, data=dict(form))

    def _call(self, method: str, url: str, **kwargs: Any) -> Any:
        token = self._tokens.access_token()
        self._budget.spend()
        self.calls += 1
        try:
            return request_json(self._provider, method, url, quirk=self._quirk, headers=bearer(token), **kwargs)
        except ReauthRequired:
            token = self._tokens.access_token(rejected=token)
        self._budget.spend()
        self.calls += 1
        return request_json(self._provider, method, url, quirk=self._quirk, headers=bearer(token), **kwargs)
