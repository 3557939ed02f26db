"""Which streams each provider declares (imported on first use: cold start stays small)."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from shared.errors import JobError
from shared.sync.streams import Stream

_STREAM_MODULES = {
    "fitbit": ("shared.providers.google_health", "FITBIT_STREAMS"),
    "oura": ("shared.providers.oura_streams", "OURA_STREAMS"),
    "google_fit": ("shared.providers.google_fit_streams", "GOOGLE_FIT_STREAMS"),
}


def streams_for(provider: str) -> Sequence[Stream]:
    """Return the provider's declared streams.

    Raises:
        JobError: the provider has no downloadable streams in this version.
    """
    location = _STREAM_MODULES.get(provider)
    if location is None:
        raise JobError(f"downloads for {provider} are not available in this version")
    module, name = location
    try:
        return getattr(importlib.import_module(module), name)
    except ModuleNotFoundError as missing:
        if missing.name != module:
            raise
        raise JobError(f"downloads for {provider} are not available in this version") from None
