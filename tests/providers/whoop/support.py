"""Fixtures of the WHOOP tests: provider-shaped bodies and their expected Personicle records."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from shared.contract.records import Record
from shared.providers.whoop.map_body import map_body
from shared.providers.whoop.map_cycles import map_cycles
from shared.providers.whoop.map_recovery import map_recoveries
from shared.providers.whoop.map_sleep import map_sleeps
from shared.providers.whoop.map_values import records
from shared.providers.whoop.map_workouts import map_workouts

FIXTURES = Path(__file__).parent / "fixtures"
PERSON, SOURCE = "person-1", "whoop"
BODY_STAMP = datetime(2022, 4, 24, tzinfo=timezone.utc)


def load(name: str) -> Any:
    """Return `fixtures/<name>.json`."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


def _page(mapper: Callable[..., Any]) -> Callable[[Any], list[Record]]:
    return lambda body: list(mapper(records(body), PERSON, SOURCE))


CYCLES, RECOVERIES, SLEEPS, WORKOUTS = _page(map_cycles), _page(map_recoveries), _page(map_sleeps), _page(map_workouts)


def body(value: Any) -> list[Record]:
    """Map a body measurement stamped at BODY_STAMP."""
    return map_body(value, PERSON, SOURCE, BODY_STAMP)


MAPPERS: dict[str, Callable[[Any], list[Record]]] = {
    "cycle_example": CYCLES, "cycle_edge_cases": CYCLES,
    "recovery_example": RECOVERIES, "recovery_edge_cases": RECOVERIES,
    "sleep_example": SLEEPS, "sleep_reference_page": SLEEPS, "sleep_edge_cases": SLEEPS,
    "workout_example": WORKOUTS, "workout_edge_cases": WORKOUTS,
    "body_example": body,
}
EVERY_MAPPER = {"cycle": CYCLES, "recovery": RECOVERIES, "sleep": SLEEPS, "workout": WORKOUTS, "body": body}
