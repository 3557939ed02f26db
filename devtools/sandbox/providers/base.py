"""What an imitated provider hands the sandbox: its authorization server, client, scopes, routes, accounts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from devtools.sandbox.oauth.clients import OAuthClient
from devtools.sandbox.oauth.servers import AuthorizationServer
from devtools.sandbox.web import Router


def no_accounts(user: str) -> Mapping[str, Any]:
    """Return no account fields (a provider whose accounts need no ids of their own)."""
    return {}


@dataclass(frozen=True)
class ClientSpec:
    """The app's OAuth client at the provider (the credentials in local.settings.json)."""

    client_id: str
    client_secret: str
    label: str
    # Sandbox strictness beyond Google (which lets confidential web clients skip PKCE): the
    # app always sends an S256 challenge, so a missing one is refused.
    require_pkce_s256: bool = False


@dataclass(frozen=True)
class SandboxProvider:
    """One imitated provider, named as the app names it (`<api base>/oauth/<name>/callback`)."""

    name: str
    server: AuthorizationServer
    client: ClientSpec
    register: Callable[[Router], None]  # adds the provider's API routes and knob route
    scopes: Mapping[str, str] = field(default_factory=dict)  # scopes it adds to its server's
    accounts: Callable[[str], Mapping[str, Any]] = no_accounts  # a sandbox user's account ids here

    def oauth_client(self, api_bases: Iterable[str]) -> OAuthClient:
        """Return the provider's client, registered with `<api base>/oauth/<name>/callback` of each base."""
        uris = tuple(f"{base.rstrip('/')}/oauth/{self.name}/callback" for base in api_bases)
        spec = self.client
        return OAuthClient(self.server.name, spec.client_id, spec.client_secret, spec.label, uris,
                           spec.require_pkce_s256)
