"""Deterministic synthetic health data for the sandbox's provider imitations.

Everything is a pure function of (demo user, time): values are drawn from generators seeded per
user and per day, so a re-read returns the same data, and only the days or hours a request touches
are generated (a year of 1 Hz heart rate is never held in memory).

    profiles.py       per-user seeds, devices, home time zone and yearly trips (every provider)
    clock.py          epoch seconds, UTC days, local wall-clock times
    days.py           one person-day's plan (sleep, nap, workout, weigh-in) and one UTC day's minutes
    workouts.py       how each exercise type moves; drawing a day's workout
    knobs.py          what every provider's switches share: checked updates, fault counters
Google Health (`endpoints/google_health_data.py`):
    health_types.py   the data types served and their kinds
    health_records.py time-ordered records of a type over a time span, generated lazily
    health_wire.py    records -> Google Health JSON (list / reconcile shapes)
    health_filters.py the list/reconcile filter grammar
    health_queries.py list/reconcile paging: page sizes, source families, page tokens
    health_rollups.py rollUp and dailyRollUp answers
    health_knobs.py   switches for the readings the reference leaves open, and extra faults
Other providers keep their modules under their own prefixes (`google_fit_*`, `oura_*`).
"""
