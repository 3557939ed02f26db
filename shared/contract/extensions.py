"""Which extension streams and event types (names Personicle's published dictionary lacks) may be sent."""

from __future__ import annotations

from dataclasses import dataclass

from shared.contract.dictionary import DataDictionary, load_dictionary

ALL = "all"
NONE = "none"


@dataclass(frozen=True)
class ExtensionSelection:
    """The extension names a deployment sends: exact names, `prefix.*` patterns, or every one (`all`)."""

    patterns: tuple[str, ...] = ()

    def __str__(self) -> str:
        return ",".join(self.patterns) or NONE

    def enables(self, name: str) -> bool:
        """Return True when the extension `name` is selected."""
        for pattern in self.patterns:
            if pattern == ALL or pattern == name or (pattern.endswith(".*") and name.startswith(pattern[:-1])):
                return True
        return False


def parse_extensions(raw: str, dictionary: DataDictionary | None = None) -> ExtensionSelection:
    """Parse `none`, `all`, or comma-separated extension names and `prefix.*` patterns.

    Raises:
        ValueError: an item names nothing, or names a stream or event type Personicle already publishes.
    """
    dictionary = dictionary or load_dictionary()
    items = tuple(item.strip() for item in raw.split(",") if item.strip())
    if items in ((), (NONE,)):
        return ExtensionSelection()
    if items == (ALL,):
        return ExtensionSelection((ALL,))
    extensions = dictionary.extensions()
    for item in items:
        if item in (ALL, NONE):
            raise ValueError(f"{item!r} cannot be combined with other items")
        if item.endswith(".*"):
            if not any(name.startswith(item[:-1]) for name in extensions):
                raise ValueError(f"{item!r} matches no extension of the data dictionary")
        elif item not in extensions:
            raise ValueError(f"{item!r} is not an extension of the data dictionary (a full stream name or "
                             "event type is expected)")
    return ExtensionSelection(items)
