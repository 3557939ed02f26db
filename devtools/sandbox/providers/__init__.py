"""The imitated providers: the only list in the sandbox that names them all.

Each provider is one folder (`providers/<name>/`) holding its OAuth client and scopes, its API
routes, its rendering of the shared wearer (`devtools.sandbox.wearer`) in its own JSON shapes and
its knobs; its `__init__.py` hands a `SandboxProvider` to this list. Generic parts (Google's OAuth
server, the OAuth machinery, faults, counters, the OIDC issuer, the demo page) know providers only
through it.
"""

from __future__ import annotations

from devtools.sandbox.providers.base import SandboxProvider
from devtools.sandbox.providers.fitbit import FITBIT
from devtools.sandbox.providers.google_fit import GOOGLE_FIT
from devtools.sandbox.providers.oura import OURA
from devtools.sandbox.providers.whoop import WHOOP
from devtools.sandbox.providers.withings import WITHINGS

PROVIDERS: tuple[SandboxProvider, ...] = (FITBIT, OURA, GOOGLE_FIT, WHOOP, WITHINGS)
