"""A night of the wearer: when it falls, and its stages (light, deep, REM, awake) in sleep cycles."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from devtools.sandbox.wearer.clock import local_epoch


@dataclass(frozen=True)
class Stage:
    """A sleep stage [start, end) in epoch seconds: AWAKE, LIGHT, DEEP, REM, OUT_OF_BED (or a nap's ASLEEP, RESTLESS)."""

    start: int
    end: int
    kind: str


def night_window(r: random.Random, zone: ZoneInfo, day: date) -> tuple[int, int]:
    """Return [start, end) of the night starting in the evening of `day`, drawn from `r`."""
    start = local_epoch(zone, day, 22 * 60 + 15 + r.randint(0, 120))
    return start, start + 60 * r.randint(360, 510)


def staged_night(r: random.Random, start: int, end: int, *, wake_chance: float,
                 out_of_bed_chance: float = 0.0) -> tuple[Stage, ...]:
    """Return contiguous stages: falling asleep, cycles of light/deep/light/REM, sometimes up, a final wake.

    Args:
        r: the night's generator.
        start: epoch second the night starts.
        end: epoch second it ends.
        wake_chance: chance of waking after each cycle.
        out_of_bed_chance: chance that such a waking is spent out of bed (0: never drawn).
    """
    stop = end - 60 * r.randint(2, 12)
    stages: list[Stage] = []
    at = start

    def add(kind: str, minutes: int) -> None:
        nonlocal at
        until = min(at + 60 * minutes, stop)
        if until <= at:
            return
        if stages and stages[-1].kind == kind:
            stages[-1] = Stage(stages[-1].start, until, kind)
        else:
            stages.append(Stage(at, until, kind))
        at = until

    add("AWAKE", r.randint(2, 14))
    cycle = 0
    while at < stop:
        add("LIGHT", r.randint(15, 45))
        add("DEEP", max(0, r.randint(25, 50) - 12 * cycle))
        add("LIGHT", r.randint(5, 20))
        add("REM", r.randint(8, 20) + 8 * cycle)
        if r.random() < wake_chance:
            add("OUT_OF_BED" if out_of_bed_chance and r.random() < out_of_bed_chance else "AWAKE", r.randint(1, 6))
        cycle += 1
    stages.append(Stage(stop, end, "AWAKE"))
    return tuple(stages)
