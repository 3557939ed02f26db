"""Behaviour switches of the imitated OAuth servers: one frozen dataclass per server, read as one set."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class OAuthKnobs:
    """Switches every authorization server shares."""

    code_ttl_seconds: float = 600.0  # codes are single use and short-lived (minutes at every provider)


@dataclass(frozen=True)
class Knobs:
    """The switches of every registered server, read and changed by their (distinct) field names."""

    groups: tuple[Any, ...] = (OAuthKnobs(),)

    def __getattr__(self, name: str) -> Any:
        if name != "groups":
            for group in self.groups:
                if name in _names(group):
                    return getattr(group, name)
        raise AttributeError(name)

    def updated(self, changes: dict[str, Any]) -> Knobs:
        """Return a copy with `changes` applied.

        Raises:
            ValueError: unknown knob or a value of the wrong type.
        """
        groups = list(self.groups)
        for name, value in changes.items():
            index = next((i for i, group in enumerate(groups) if name in _names(group)), None)
            if index is None:
                raise ValueError(f"unknown knob {name!r}")
            current = getattr(groups[index], name)
            if isinstance(current, bool) != isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"knob {name!r} expects a {type(current).__name__}")
            groups[index] = replace(groups[index], **{name: value})
        return Knobs(tuple(groups))

    def to_json(self) -> dict[str, Any]:
        """Return every knob as one JSON object."""
        return {name: value for group in self.groups for name, value in asdict(group).items()}


def _names(group: Any) -> frozenset[str]:
    return frozenset(f.name for f in fields(group))
