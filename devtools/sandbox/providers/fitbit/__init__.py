"""The imitated `fitbit` provider: the Google Health API v4 behind Google's OAuth server.

    __init__.py              FITBIT: client, scopes, routes and account ids handed to the sandbox
    accounts.py              the demo users' Google Health ids (dave has no profile)
    scopes.py                googlehealth.* scopes and the ones identity accepts
    access.py                the API's checks of a call (token, scopes, account state)
    identity.py              users/me/identity
    api.py                   list, reconcile, rollUp, dailyRollUp, get, and the knob route
    types.py                 the data types served and their kinds
    records.py               time-ordered records of a type, drawn lazily from the shared wearer
    wire.py                  records -> Google Health JSON (list / reconcile shapes)
    filters.py               the list/reconcile filter grammar
    queries.py               list/reconcile paging: page sizes, source families, page tokens
    rollups.py               rollUp and dailyRollUp answers
    knobs.py                 switches for the readings the reference leaves open, and extra faults
    webhooks.py              subscribers, endpoint verification, the signing keyset, signed notifications

Reference: docs/providers/fitbit.md.
"""

from __future__ import annotations

from devtools.sandbox.google.server import GOOGLE
from devtools.sandbox.providers.base import ClientSpec, SandboxProvider
from devtools.sandbox.providers.fitbit import api, accounts
from devtools.sandbox.providers.fitbit.scopes import HEALTH_SCOPES

FITBIT = SandboxProvider(
    name="fitbit", server=GOOGLE,
    client=ClientSpec("sandbox-fitbit-client", "sandbox-fitbit-secret",
                      "Personicle Connect (Fitbit data via Google Health)", require_pkce_s256=True),
    register=api.register, scopes=HEALTH_SCOPES, accounts=accounts.account_fields)
