"""The `google_fit` streams for the generic download engine (declared in `google_fit_data`)."""

from shared.providers.google_fit_data import GOOGLE_FIT_STREAMS

__all__ = ["GOOGLE_FIT_STREAMS"]
