"""Google's imitated authorization server: its routes, scopes and knobs, shared by Google's APIs."""

from __future__ import annotations

from dataclasses import dataclass

from devtools.sandbox.google import authorize, token
from devtools.sandbox.google.scopes import GOOGLE_SCOPES
from devtools.sandbox.google.tokens import SERVER
from devtools.sandbox.oauth.servers import AuthorizationServer
from devtools.sandbox.web import Router


@dataclass(frozen=True)
class GoogleKnobs:
    """Behaviour switches of Google's OAuth server."""

    google_access_token_seconds: int = 3599
    # Testing-status consent screen: responses carry refresh_token_expires_in 604799 (7 days).
    google_testing_mode: bool = False
    # Google normally keeps the refresh token on refresh; with this on it also returns a new one
    # (the old one stays valid).
    google_rotate_refresh_token: bool = False


def register(router: Router) -> None:
    """Add Google's authorization, token and revocation endpoints."""
    router.add("GET", authorize.PATH, authorize.show_consent, name="google.authorize")
    router.add("POST", authorize.PATH, authorize.decide, name="google.authorize")
    router.add("POST", "/google/token", token.token, name="google.token", fault_body=token.fault_body)
    router.add("POST", "/google/revoke", token.revoke, name="google.revoke", fault_body=token.fault_body)


GOOGLE = AuthorizationServer(name=SERVER, register=register, knobs=GoogleKnobs(), scopes=GOOGLE_SCOPES)
