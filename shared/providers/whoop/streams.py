"""The `whoop` streams over WHOOP API v2, declared for the generic download engine.

Reference: docs/providers/whoop.md 2.3 (scopes), 3.1 (paging, ranges), 4 (records), 11 (call plan).
WHOOP documents no maximum range, so every stream reads a year per window: a 365-day backfill
costs one request per 25 records of each collection plus one for the body measurement, the
minimum of section 11.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from shared.providers.whoop.fetch import RECOVERY_PADDING, collection, fetch_body
from shared.providers.whoop.map_cycles import map_cycles
from shared.providers.whoop.map_recovery import map_recoveries
from shared.providers.whoop.map_sleep import map_sleeps
from shared.providers.whoop.map_values import created_of, start_of
from shared.providers.whoop.map_workouts import map_workouts
from shared.providers.whoop.paging import PAGING
from shared.sync.rest import RestCollection, fetch_page
from shared.sync.streams import Stream

YEAR_WINDOW = timedelta(days=366)


def _collection(name: str, scope: str, declared: RestCollection, description: str) -> Stream:
    return Stream(name=name, scopes=(scope,), max_window=YEAR_WINDOW,
                  fetch_page=partial(fetch_page, collection=declared, paging=PAGING), description=description,
                  tags=(declared.path,))


STREAMS: tuple[Stream, ...] = (
    _collection("cycle", "read:cycles", collection("v2/cycle", start_of, map_cycles),
                "Physiological cycles: day strain, energy, average and maximum heart rate"),
    _collection("recovery", "read:recovery",
                collection("v2/recovery", created_of, map_recoveries, RECOVERY_PADDING),
                "Recovery score, resting heart rate, HRV, SpO2 and skin temperature"),
    _collection("sleep", "read:sleep", collection("v2/activity/sleep", start_of, map_sleeps),
                "Sleeps and naps with their stage summary, need, performance and respiratory rate"),
    _collection("workout", "read:workout", collection("v2/activity/workout", start_of, map_workouts),
                "Workouts and recovery activities with strain, energy, distance and heart-rate zones"),
    Stream(name="body_measurement", scopes=("read:body_measurement",), max_window=YEAR_WINDOW,
           fetch_page=fetch_body, description="Current weight and height", tags=("v2/user/measurement/body",)),
)
