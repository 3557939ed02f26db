"""Provider-shaped fixtures, and the wire form mapped records are compared in."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from shared.contract.records import Record
from shared.contract.wire import to_wire, validate_wire

PROVIDER_TESTS = Path(__file__).parent


def fixture_loader(provider: str) -> Callable[[str], Any]:
    """Return a reader of `tests/providers/<provider>/fixtures/<name>.json` by name."""
    folder = PROVIDER_TESTS / provider / "fixtures"

    def load(name: str) -> Any:
        return json.loads((folder / f"{name}.json").read_text())

    return load


def wire_records(records: Iterable[Record]) -> list[dict[str, Any]]:
    """Return records in the contract's validated wire form, parameters shown as an object."""
    out = []
    for record in records:
        wire = to_wire(record)
        validate_wire(wire)
        if "parameters" in wire:
            wire["parameters"] = json.loads(wire["parameters"])
        out.append(wire)
    return out
