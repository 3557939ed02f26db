"""Withhold extension records a deployment has not enabled: counted and logged, never sent."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence

from shared.contract.dictionary import DataDictionary, load_dictionary
from shared.contract.extensions import ExtensionSelection
from shared.contract.records import Record, record_name
from shared.sink.base import RecordSink

log = logging.getLogger(__name__)


class WithholdingSink:
    """A RecordSink that passes Personicle's published kinds and the enabled extensions to `inner`.

    A record of a disabled extension is counted in `withheld` (by name) and logged, not sent:
    Personicle's consumers reject a stream they have not registered. Names the dictionary lacks
    pass through, so the inner sink's validation names them.
    """

    def __init__(self, inner: RecordSink, selection: ExtensionSelection,
                 dictionary: DataDictionary | None = None) -> None:
        self._inner = inner
        self._selection = selection
        self._dictionary = dictionary or load_dictionary()
        self.withheld: Counter[str] = Counter()

    @property
    def inner(self) -> RecordSink:
        """Return the sink records are passed to."""
        return self._inner

    def send(self, records: Sequence[Record]) -> None:
        """Send the records Personicle can store; count the others."""
        kept, withheld = [], Counter()
        for record in records:
            name = record_name(record)
            if self._withholds(name):
                withheld[name] += 1
            else:
                kept.append(record)
        for name, count in sorted(withheld.items()):
            log.info("withheld %d records of %s: an extension not enabled by PERSONICLE_EXTENSIONS", count, name)
        self.withheld.update(withheld)
        if kept:
            self._inner.send(kept)

    def close(self) -> None:
        """Close the inner sink."""
        self._inner.close()

    def _withholds(self, name: str) -> bool:
        try:
            extension = self._dictionary.is_extension(name)
        except KeyError:
            return False
        return extension and not self._selection.enables(name)
