"""A local imitation of the Azure Functions host for machines without Core Tools (`func`).

It serves the same `function_app` index: HTTP routes, queue triggers with the host's base64,
dequeue-count, visibility-timeout and poison-queue rules, NCRONTAB timers and the admin endpoint.
A development tool only, never the production runtime. Run `python -m devtools.localhost`.
"""

from devtools.localhost.host import LocalHost
from devtools.localhost.settings import HostConfigError, LocalSettings

__all__ = ["HostConfigError", "LocalHost", "LocalSettings"]
