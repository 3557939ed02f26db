"""The authorised HTTP path for one connection's data calls (implements `streams.ProviderApi`)."""

from __future__ import annotations

import threading
from typing import Any

from shared.errors import ReauthRequired
from shared.providers.http import bearer, request_json
from shared.sync.tokens import TokenKeeper

_data_session: Any = None
_lock = threading.Lock()


def data_session() -> Any:
    """Return the `requests` session for data calls: a few retries of 5xx and timeouts with backoff.

    429 is not retried here: the engine turns it into a delayed continuation instead of sleeping.
    """
    global _data_session
    with _lock:
        if _data_session is None:
            import requests
            from requests.adapters import HTTPAdapter
            from urllib3.util.retry import Retry

            retry = Retry(total=3, connect=3, read=2, status=3, backoff_factor=0.5, backoff_jitter=0.5,
                          backoff_max=8, status_forcelist=(500, 502, 503, 504),
                          allowed_methods=frozenset({"GET", "POST"}), respect_retry_after_header=False,
                          raise_on_status=False)
            session = requests.Session()
            session.headers.update({"User-Agent": "personicle-connect", "Accept": "application/json"})
            session.mount("https://", HTTPAdapter(max_retries=retry))
            session.mount("http://", HTTPAdapter(max_retries=retry))
            _data_session = session
        return _data_session


class ConnectionApi:
    """GET/POST provider data with the connection's token; a 401 refreshes once and retries once."""

    def __init__(self, provider: str, tokens: TokenKeeper) -> None:
        self._provider = provider
        self._tokens = tokens
        self.calls = 0

    def get_json(self, url: str, params: Any = None) -> Any:
        """GET `url` and return its JSON body."""
        return self._call("GET", url, params=params)

    def post_json(self, url: str, body: Any) -> Any:
        """POST a JSON body and return the JSON answer."""
        return self._call("POST", url, json=body)

    def _call(self, method: str, url: str, **kwargs: Any) -> Any:
        token = self._tokens.access_token()
        self.calls += 1
        try:
            return request_json(self._provider, method, url, http=data_session(), headers=bearer(token), **kwargs)
        except ReauthRequired:
            token = self._tokens.access_token(rejected=token)
        self.calls += 1
        return request_json(self._provider, method, url, http=data_session(), headers=bearer(token), **kwargs)
