"""The provider registry: `PROVIDERS` is the only place that names every provider.

Routes, queues, the engine, the timers, the health check and the settings read from it; adding a
provider is a folder under `shared/providers/` and one entry here (docs/adding-a-provider.md).
"""

from __future__ import annotations

from shared.errors import RequestError
from shared.providers.base import Provider
from shared.providers.fitbit.provider import FITBIT
from shared.providers.google_fit.provider import GOOGLE_FIT
from shared.providers.oura.provider import OURA
from shared.providers.whoop.provider import WHOOP
from shared.providers.withings.provider import WITHINGS

PROVIDERS: dict[str, Provider] = {provider.name: provider for provider in (FITBIT, OURA, GOOGLE_FIT, WHOOP, WITHINGS)}


def get_provider(name: str) -> Provider:
    """Return the provider called `name`.

    Raises:
        RequestError: 404 `unknown_provider`.
    """
    provider = PROVIDERS.get(name)
    if provider is None:
        raise RequestError(404, "unknown_provider", "no such provider")
    return provider
