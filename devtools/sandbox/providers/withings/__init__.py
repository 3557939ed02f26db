"""The imitated `withings` provider: Withings' OAuth server and its Public Health Data API.

    __init__.py      WITHINGS: client, routes and account ids handed to the sandbox
    oauth.py         authorize2, requesttoken (30-second codes, rotating refresh tokens), getnonce, revoke
    scopes.py        Withings' scope names
    accounts.py      the demo users' Withings ids
    envelope.py      `{"status", "body"}` answers, errors as HTTP 200
    knobs.py         page size, paging shape, app-wide rate limit, envelope status faults
    render.py        the shared wearer as measure groups, activities, workouts, sleep summaries
    api.py           the data services (action routing, ranges, paging) and the knob route
    notify.py        the notify service (HEAD check of the callback), notifications of a new day

Reference: docs/providers/withings.md.
"""

from __future__ import annotations

from devtools.sandbox.providers.base import ClientSpec, SandboxProvider
from devtools.sandbox.providers.withings import accounts, api
from devtools.sandbox.providers.withings.oauth import WITHINGS_SERVER

WITHINGS = SandboxProvider(
    name="withings", server=WITHINGS_SERVER,
    client=ClientSpec("sandbox-withings-client", "sandbox-withings-secret", "Personicle Connect"),
    register=api.register, accounts=accounts.account_fields)
