"""The imitated `whoop` provider: WHOOP's OAuth server (Hydra-style) and Developer API v2.

    __init__.py   WHOOP: client, routes and account ids handed to the sandbox
    oauth.py      authorize (state of 8+ characters), token (rotation of both tokens at once)
    scopes.py     WHOOP's scope names
    accounts.py   the demo users' WHOOP member ids
    records.py    the wearer's person-days -> cycles, sleeps, recoveries, workouts
    api.py        collections with nextToken paging, single records, profile, body, revocation
    webhooks.py   the dashboard's webhook URLs and signed deliveries of a new day's events
    knobs.py      open readings, extra faults and the app-wide rate limit

Reference: docs/providers/whoop.md.
"""

from __future__ import annotations

from devtools.sandbox.providers.base import ClientSpec, SandboxProvider
from devtools.sandbox.providers.whoop import accounts, api
from devtools.sandbox.providers.whoop.oauth import WHOOP_SERVER

WHOOP = SandboxProvider(
    name="whoop", server=WHOOP_SERVER,
    client=ClientSpec("sandbox-whoop-client", "sandbox-whoop-secret", "Personicle Connect"),
    register=api.register, accounts=accounts.account_fields)
