"""Local imitation of the outside parties of the connect flow, plus a demo frontend page.

Run it with `python -m devtools.sandbox [--port 7080] [--api-base http://127.0.0.1:7071/api]`, or
in-process::

    server = SandboxServer(port=0)            # ephemeral OIDC key unless key_path is given
    base = server.start()                     # e.g. http://127.0.0.1:41234
    server.state.counters.get("google.token:refresh_token")
    server.state.faults.add(Fault("google.token", kind="status", status=503))
    server.state.oidc.mint("alice", claims={"aud": "someone-else"})
    server.stop()

Layout (provider shapes follow docs/providers/<name>.md):

    providers/          one folder per imitated provider (OAuth client and scopes, API routes, its
                        rendering of the wearer, its knobs); `providers/__init__.py` lists them all
    wearer/             the synthetic person every provider renders
    google/             Google's OAuth server and API front-end, shared by the Google providers
    oauth/              clients, codes, grants, consent page, knob sets of every authorization server
    oidc/               the Personicle sign-in issuer: discovery, JWKS, demo tokens
    control.py          test controls under /_sandbox/ (faults, counters, calls, knobs, grants, users)
    call_log.py         every API call made with a live access token, by the token's user
    demo.py, static/    the demo page standing in for the Personicle frontend (GET /demo)
    data_knobs.py       what every provider's data switches share, and their knob route
    server.py, web.py   HTTP server, route table, request and response types
    faults.py           switchable faults and call counters per route name

Users (users.py): the demo users alice, bob, carol and dave, whose account ids each provider folder
keeps (dave's Google account has no Google Health profile), and a deterministic synthetic person for
any other name matching `users.USER_NAME` (e.g. `user042`), whose account ids each provider derives. OAuth clients are the ones in
local.settings.json, each registered with the redirect URI `<api base>/oauth/<provider>/callback`;
tests on other ports add theirs with `state.clients.add_redirect_uri(...)` or
`POST /_sandbox/clients/redirect-uris`.

Tests of the app drive the consent step with `client.authorize(authorization_url, user="alice")`
(returns the redirect Location: the app's callback URL with code and state) and can get user
tokens with `client.demo_token(url, "alice")` or `state.oidc.mint(...)`.

Route names key counters and faults (`<server or API>.<endpoint>`, e.g. google.token,
googlehealth.identity, oidc.jwks, demo.page); token endpoints also count `<name>:<grant_type>`.
`GET /_sandbox/providers` lists the imitated providers.

Adding a provider: a folder `providers/<name>/` whose `__init__.py` defines a
`providers.base.SandboxProvider` (its authorization server, client, scopes, a `register(router)`
adding its routes, its demo users' account ids), and one entry in `providers.PROVIDERS`. Inside
`register`, call `router.add("GET", "/<api>/{collection}", handler, name="<api>.collection",
fault_body=...)`. A handler takes a `web.Request` (query, headers, body, path params, `req.state`)
and returns a `web.Response` (`web.json_response`, ...). Per-module data belongs in
`state.extras[<module name>]`, cleared by reset. Test-only routes can be passed as
`SandboxServer(extra_modules=[module])`, a module with a `register(router)` function.
"""

from devtools.sandbox.faults import Fault
from devtools.sandbox.oauth.knobs import Knobs
from devtools.sandbox.server import SandboxServer
from devtools.sandbox.state import SandboxState
from devtools.sandbox.users import DEMO_USERS, DemoUser

__all__ = ["DEMO_USERS", "DemoUser", "Fault", "Knobs", "SandboxServer", "SandboxState"]
