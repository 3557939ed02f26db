"""Pieces every imitated OAuth server shares: consent form fields, client authentication, PKCE."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import unquote_plus

from devtools.sandbox.oauth.clients import OAuthClient
from devtools.sandbox.users import DemoUser, find_user
from devtools.sandbox.web import Request

CONSENT_FIELDS = ("user", "user_name", "granted", "decision")
_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
_S256_CHALLENGE = re.compile(r"^[A-Za-z0-9\-_]{43}$")


def first(params: dict[str, list[str]], name: str) -> str | None:
    """Return the first value of `name`, or None."""
    values = params.get(name)
    return values[0] if values else None


def ordered_unique(items: list[str]) -> tuple[str, ...]:
    """Return the items without repeats, in first-seen order."""
    return tuple(dict.fromkeys(items))


@dataclass(frozen=True)
class ConsentDecision:
    """What the consent form posted: the original request, the chosen user, decision and ticks."""

    request_params: dict[str, list[str]]
    user: DemoUser | None
    approved: bool
    granted: tuple[str, ...]


def read_consent_form(req: Request) -> ConsentDecision:
    """Split a consent form post into the original authorization parameters and the decision.

    The account is the typed `user_name` when one was typed, else the chosen `user`; any valid
    sandbox user name is an account (None: no valid name).
    """
    form = req.form()
    typed = (first(form, "user_name") or "").strip()
    params = {name: values for name, values in form.items() if name not in CONSENT_FIELDS}
    return ConsentDecision(
        request_params=params,
        user=find_user(typed or first(form, "user") or ""),
        approved=first(form, "decision") == "approve",
        granted=ordered_unique(form.get("granted", [])),
    )


@dataclass(frozen=True)
class ClientCredentials:
    """Client id and secret from HTTP Basic or the form body."""

    client_id: str | None
    client_secret: str | None
    conflicting: bool


def client_credentials(req: Request, form: dict[str, list[str]]) -> ClientCredentials:
    """Read the client credentials of a token request (RFC 6749 2.3.1: Basic or body)."""
    basic = req.basic_auth()
    body_id, body_secret = first(form, "client_id"), first(form, "client_secret")
    if basic is None:
        return ClientCredentials(body_id, body_secret, False)
    basic_id, basic_secret = unquote_plus(basic[0]), unquote_plus(basic[1])
    conflicting = ((body_id is not None and body_id != basic_id)
                   or (body_secret is not None and body_secret != basic_secret))
    return ClientCredentials(basic_id, basic_secret, conflicting)


def secret_matches(client: OAuthClient, secret: str | None) -> bool:
    """Tell whether `secret` is the client's secret."""
    return secret is not None and secret == client.client_secret


def authenticated_client(req: Request, form: dict[str, list[str]], server: str) -> OAuthClient | None:
    """Return the client a token request authenticates as with its secret (Basic or body), or None."""
    creds = client_credentials(req, form)
    client = req.state.clients.get(server, creds.client_id)
    if creds.conflicting or client is None or not secret_matches(client, creds.client_secret):
        return None
    return client


def s256(verifier: str) -> str:
    """Return the S256 code challenge of a verifier."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def challenge_well_formed(challenge: str, method: str) -> bool:
    """Tell whether a code challenge has the shape RFC 7636 requires for its method."""
    return bool(_S256_CHALLENGE.match(challenge) if method == "S256" else _VERIFIER.match(challenge))


def verifier_matches(verifier: str, challenge: str, method: str) -> bool:
    """Tell whether a PKCE verifier is well formed and answers the challenge."""
    if not _VERIFIER.match(verifier):
        return False
    return (s256(verifier) if method == "S256" else verifier) == challenge
