"""The imitated `google_fit` provider: Google Fit REST behind Google's OAuth server.

    __init__.py    GOOGLE_FIT: client, scopes and routes handed to the sandbox
    scopes.py      fitness.* scopes
    access.py      Fit's error envelope and its token and scope check
    api.py         dataSources, datasets, dataset:aggregate, sessions, and the knob route
    days.py        what a wearer records in Fit per person-day: sleep stages, workout, measurements
    minutes.py     one UTC day's minutes (steps, distance, energy, heart rate, activity)
    points.py      raw data points of a data type, paged
    buckets.py     aggregate buckets
    aggregate.py   dataset:aggregate requests and answers
    sessions.py    sleep and workout sessions
    types.py       the data types served, their fields and scopes
    knobs.py       switches for open readings, extra faults and the end of service

Reference: docs/providers/google_fit.md.
"""

from __future__ import annotations

from devtools.sandbox.google.server import GOOGLE
from devtools.sandbox.providers.base import ClientSpec, SandboxProvider
from devtools.sandbox.providers.google_fit import api
from devtools.sandbox.providers.google_fit.scopes import FIT_SCOPES

GOOGLE_FIT = SandboxProvider(
    name="google_fit", server=GOOGLE,
    client=ClientSpec("sandbox-google-fit-client", "sandbox-google-fit-secret", "Personicle Connect (Google Fit)",
                      require_pkce_s256=True),
    register=api.register, scopes=FIT_SCOPES)
