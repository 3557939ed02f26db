"""Google Fit REST data: what each stream requests, its paging, and the stream declarations."""

from shared.providers.google_fit_data.streams import GOOGLE_FIT_STREAMS

__all__ = ["GOOGLE_FIT_STREAMS"]
