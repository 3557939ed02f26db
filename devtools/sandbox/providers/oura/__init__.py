"""The imitated `oura` provider: Oura's own OAuth server and API v2.

    __init__.py      OURA: client, routes and account ids handed to the sandbox
    oauth.py         authorize, token (single-use refresh tokens) and revoke, and their knobs
    scopes.py        Oura's scope names
    accounts.py      the demo users' Oura ids
    errors.py        bearer and scope checks, FastAPI-style error bodies
    personal_info.py personal_info
    api.py           the collections and the knob route
    plan.py          one wearer's Oura person-day: sleep periods, workout, session, charging
    days.py          daily scores and the 04:00-04:00 activity timeline
    heartrate.py     heart-rate rows of a UTC day
    documents.py     person-days -> Oura's documents
    queries.py       collections, date ranges, paging tokens
    knobs.py         switches for open readings, schema drift and extra faults
    webhooks.py      the webhook subscription API, its handshakes and signed notifications

Reference: docs/providers/oura.md.
"""

from __future__ import annotations

from devtools.sandbox.providers.base import ClientSpec, SandboxProvider
from devtools.sandbox.providers.oura import accounts, api
from devtools.sandbox.providers.oura.oauth import OURA_SERVER

OURA = SandboxProvider(
    name="oura", server=OURA_SERVER,
    client=ClientSpec("sandbox-oura-client", "sandbox-oura-secret", "Personicle Connect"),
    register=api.register, accounts=accounts.account_fields)
