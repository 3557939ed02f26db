"""Deterministic synthetic health data for the sandbox's provider imitations.

Everything is a pure function of (demo user, time): values are drawn from generators seeded per
user and per day, so a re-read returns the same data, and only the days or hours a request touches
are generated (a year of 1 Hz heart rate is never held in memory).

    profiles.py       per-user seeds, devices, home time zone and yearly trips
    days.py           one person-day's plan (sleep, nap, workout, weigh-in) and one UTC day's minutes
    health_types.py   the Google Health data types served and their kinds
    health_records.py time-ordered records of a type over a time span, generated lazily
    health_wire.py    records -> Google Health JSON (list / reconcile shapes)
    health_filters.py the list/reconcile filter grammar
    health_rollups.py rollUp and dailyRollUp answers
    health_knobs.py   switches for the readings the reference leaves open, and extra faults
"""
