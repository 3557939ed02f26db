"""The sandbox's synthetic wearer: a deterministic person derived from the user name, in provider-free terms.

Everything is a pure function of (demo user, time): values are drawn from generators seeded per
user and per day, so a re-read returns the same data, and only the days or hours a request touches
are generated (a year of 1 Hz heart rate is never held in memory). Each provider folder renders the
wearer in its own JSON shapes.

    profiles.py   per-user seed, body, devices, habits, home time zone and yearly trips
    clock.py      epoch seconds, UTC days, local wall-clock times, a person-day's zone
    sleep.py      a night's window and its staged hypnogram (light, deep, REM, awake, out of bed)
    workouts.py   how each exercise kind moves; drawing a day's workout
    days.py       one person-day's plan (sleep, nap, workout, weigh-in, charging), one UTC day's
                  wear minutes (steps, distance, energy, heart rate, zones) and 1 Hz heart rate
"""
