"""The provider registry, keyed by the lower-case provider name used in routes, queues, rows and logs."""

from __future__ import annotations

from shared.errors import RequestError
from shared.providers.base import Provider
from shared.providers.fitbit import FITBIT
from shared.providers.google_fit import GOOGLE_FIT
from shared.providers.oura import OURA

PROVIDERS: dict[str, Provider] = {provider.name: provider for provider in (FITBIT, OURA, GOOGLE_FIT)}


def get_provider(name: str) -> Provider:
    """Return the provider called `name`.

    Raises:
        RequestError: 404 `unknown_provider`.
    """
    provider = PROVIDERS.get(name)
    if provider is None:
        raise RequestError(404, "unknown_provider", "no such provider")
    return provider
