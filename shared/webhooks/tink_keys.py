"""A published Tink public keyset (JSON), fetched once, cached, fetched again for an unknown key id.

Signatures in Tink's `TINK` output format start with 0x01 and the 4-byte big-endian id of the key
that made them; an id the cached keyset lacks means the publisher rotated its keys, so the keyset is
fetched again, at most once per `REFETCH_SECONDS`. The verification itself is Tink's.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

REFETCH_SECONDS = 60.0
MAX_AGE_SECONDS = 24 * 3600.0
TINK_PREFIX = 0x01


class KeysetUnavailable(Exception):
    """The keyset could not be fetched or read."""


def key_id_of(sig: bytes) -> int | None:
    """Return the key id of a Tink-prefixed signature (None: not in Tink's prefixed format)."""
    if len(sig) < 6 or sig[0] != TINK_PREFIX:
        return None
    return int.from_bytes(sig[1:5], "big")


def _parse(keyset_json: str) -> tuple[Any, frozenset[int]]:
    """Return a verifier of the keyset and its key ids (Tink does the parsing and checks)."""
    import tink
    from tink import signature

    signature.register()
    try:
        handle = tink.json_proto_keyset_format.parse_without_secret(keyset_json)
        verifier = handle.primitive(signature.PublicKeyVerify)
    except tink.TinkError as error:
        raise KeysetUnavailable(f"the keyset is not a Tink public signature keyset ({error})") from None
    return verifier, frozenset(info.key_id for info in handle.keyset_info().key_info)


class PublishedKeyset:
    """Verify signatures against a keyset fetched by `fetch` (its JSON text), cached per process."""

    def __init__(self, fetch: Callable[[], str], *, clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch = fetch
        self._clock = clock
        self._lock = threading.Lock()
        self._verifier: Any = None
        self._ids: frozenset[int] = frozenset()
        self._fetched_at: float | None = None

    def _refresh(self, *, force: bool) -> None:
        now = self._clock()
        fresh = self._fetched_at is not None and now - self._fetched_at < MAX_AGE_SECONDS
        throttled = self._fetched_at is not None and now - self._fetched_at < REFETCH_SECONDS
        if (fresh and not force) or (force and throttled):
            return
        verifier, ids = _parse(self._fetch())
        self._verifier, self._ids, self._fetched_at = verifier, ids, now

    def verify(self, sig: bytes, data: bytes) -> bool:
        """Tell whether `sig` is a valid signature of `data` by a key of the keyset.

        Raises:
            KeysetUnavailable: the keyset cannot be fetched or read.
        """
        import tink

        key_id = key_id_of(sig)
        with self._lock:
            self._refresh(force=False)
            if key_id is not None and key_id not in self._ids:
                self._refresh(force=True)
            verifier = self._verifier
        try:
            verifier.verify(sig, data)
        except tink.TinkError:
            return False
        return True
