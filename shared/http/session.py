"""One `requests` session per worker: connection reuse, timeouts, and a few retries of 5xx and timeouts.

429 is not retried here: the engine turns it into a delayed continuation instead of sleeping. Token
calls go through requests-oauthlib's own session (`shared.oauth`), so no retry can replay a code.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

from shared.errors import TransientProviderError
from shared.fastjson import loads
from shared.http.errors import ErrorQuirk, classify
from shared.telemetry.signals import provider_call

TIMEOUT_SECONDS = (5, 30)
# urllib3 logs request lines at DEBUG, and some revocation endpoints take the token in the query string.
logging.getLogger("urllib3").setLevel(logging.WARNING)
_session: Any = None
_lock = threading.Lock()


def session() -> Any:
    """Return the process-wide `requests` session with the retrying transport."""
    global _session
    with _lock:
        if _session is None:
            _session = _new_session()
        return _session


def _new_session() -> Any:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    retry = Retry(total=3, connect=3, read=2, status=3, backoff_factor=0.5, backoff_jitter=0.5,
                  backoff_max=8, status_forcelist=(500, 502, 503, 504),
                  allowed_methods=frozenset({"GET", "POST"}), respect_retry_after_header=False,
                  raise_on_status=False)
    http = requests.Session()
    http.headers.update({"User-Agent": "personicle-connect", "Accept": "application/json"})
    http.mount("https://", HTTPAdapter(max_retries=retry))
    http.mount("http://", HTTPAdapter(max_retries=retry))
    return http


def send(provider: str, method: str, url: str, *, quirk: ErrorQuirk | None = None, **kwargs: Any) -> Any:
    """Call a provider and return its `requests` response once it is a 2xx.

    Raises:
        ProviderError: per `shared.http.errors.classify`; timeouts and connection failures are transient.
    """
    import requests

    with provider_call(provider, method, url) as outcome:
        try:
            response = session().request(method, url, timeout=TIMEOUT_SECONDS, **kwargs)
        except requests.Timeout:
            raise TransientProviderError(provider, f"{provider} did not answer in time") from None
        except requests.RequestException:
            raise TransientProviderError(provider, f"{provider} could not be reached") from None
        outcome["status"] = response.status_code
    error = classify(provider, response, quirk)
    if error is not None:
        raise error
    return response


def request_json(provider: str, method: str, url: str, *, quirk: ErrorQuirk | None = None, **kwargs: Any) -> Any:
    """Call a provider and return its JSON body.

    Raises:
        ProviderError: per `send`; a body that is not JSON is transient.
    """
    response = send(provider, method, url, quirk=quirk, **kwargs)
    try:
        return loads(response.content)
    except ValueError:
        raise TransientProviderError(provider, f"{provider} answered with a body that is not JSON",
                                     status=response.status_code) from None


def bearer(access_token: str) -> Mapping[str, str]:
    """Return the Authorization header for a user token."""
    return {"Authorization": f"Bearer {access_token}"}
