"""Local imitation of the outside parties of the connect flow, plus a demo frontend page.

Run it with `python -m devtools.sandbox [--port 7080] [--api-base http://127.0.0.1:7071/api]`, or
in-process::

    server = SandboxServer(port=0)            # ephemeral OIDC key unless key_path is given
    base = server.start()                     # e.g. http://127.0.0.1:41234
    server.state.counters.get("google.token:refresh_token")
    server.state.faults.add(Fault("oura.token", kind="status", status=503))
    server.state.oidc.mint("alice", claims={"aud": "someone-else"})
    server.stop()

What it serves (provider shapes follow /work/shared/docs/providers/*.md):

    Google OAuth    GET|POST /google/o/oauth2/v2/auth   consent page, redirect with code/state/scope
                    POST /google/token                  authorization_code and refresh_token grants
                    POST /google/revoke                 token in the form body or the query
    Google Health   GET  /googlehealth/v4/users/me/identity
    Oura OAuth      GET|POST /oura/oauth/authorize, POST /oura/oauth/token, GET|POST /oura/oauth/revoke
    Oura API        GET  /oura/v2/usercollection/personal_info
    Personicle      GET  /oidc/.well-known/openid-configuration, GET /oidc/jwks,
                    POST /oidc/demo-token {"user": "alice"}
    Demo page       GET  /demo
    Test controls   /_sandbox/... (see endpoints/control.py)

Demo users (users.py): alice, bob, carol, and dave, whose Google account has no Google Health
profile (every Google Health call answers 400 ACCOUNT_NOT_LINKED). OAuth clients (clients.py) are
the ones in local.settings.json, each registered with the redirect URI
`<api base>/oauth/<provider>/callback`; tests on other ports add theirs with
`state.clients.add_redirect_uri(...)` or `POST /_sandbox/clients/redirect-uris`.

Tests of the app drive the consent step with `client.authorize(authorization_url, user="alice")`
(returns the redirect Location: the app's callback URL with code and state) and can get user
tokens with `client.demo_token(url, "alice")` or `state.oidc.mint(...)`.

Route names (keys of counters and faults): google.authorize, google.token, google.revoke,
googlehealth.identity, oura.authorize, oura.token, oura.revoke, oura.personal_info, oidc.discovery,
oidc.jwks, oidc.demo_token, demo.page. Token endpoints also count `<name>:<grant_type>`.

Adding routes (e.g. provider data endpoints): create a module in `devtools/sandbox/endpoints/`
with a function `register(router: Router) -> None`; every module there is loaded at start, in name
order. Inside, call `router.add("GET", "/oura/v2/usercollection/{collection}", handler,
name="oura.collection", fault_body=oura_api.fault_body)`. A handler takes a `web.Request` (query,
headers, body, path params, `req.state`) and returns a `web.Response` (`web.json_response`, ...).
Check bearer tokens with `google_api.require_health_token`, `google_api.require_fit_token` or
`oura_api.require_oura_token`; they return the token's `TokenInfo` (grant: provider, client,
user, scopes) or the provider-shaped error response to send. Per-module data belongs in
`state.extras[<module name>]`, cleared by reset. Test-only routes can be passed as
`SandboxServer(extra_modules=[module])`.
"""

from devtools.sandbox.faults import Fault
from devtools.sandbox.server import SandboxServer
from devtools.sandbox.state import Knobs, SandboxState
from devtools.sandbox.users import DEMO_USERS, DemoUser

__all__ = ["DEMO_USERS", "DemoUser", "Fault", "Knobs", "SandboxServer", "SandboxState"]
