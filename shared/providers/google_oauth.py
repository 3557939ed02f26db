"""Google's OAuth pieces, shared by the providers that sign in with a Google account."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from shared.errors import ProviderRejected, TransientProviderError
from shared.providers.base import Endpoints, OAuthClient, Provider, TokenSet

# `access_type=offline` for a refresh token, `prompt=consent` so a re-consent returns a new one too
# (https://developers.google.com/identity/protocols/oauth2/web-server#creatingclient).
AUTHORIZE_PARAMS: Mapping[str, str] = {"access_type": "offline", "prompt": "consent"}
AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth"
TOKEN_URL = "https://oauth2.googleapis.com/token"
REVOKE_URL = "https://oauth2.googleapis.com/revoke"
# `openid email`: the token answer's ID token then names the Google account and its e-mail, which the
# person sees when confirming a connection (non-sensitive scopes; the user may untick `email`).
IDENTITY_SCOPES = ("openid", "email")


def google_endpoints(api_url: str) -> Endpoints:
    """Return Google's OAuth endpoints with the data API at `api_url`."""
    return Endpoints(authorize_url=AUTHORIZE_URL, token_url=TOKEN_URL, revoke_url=REVOKE_URL, api_url=api_url)


def google_revoker(provider: str) -> Callable[[OAuthClient, TokenSet], None]:
    """Return the revocation hook of a provider signed in with Google."""
    return lambda client, tokens: revoke_google_token(provider, client, tokens)


def revoke_google_token(provider: str, client: OAuthClient, tokens: TokenSet) -> None:
    """Revoke the grant: POST the refresh token (or the access token) as form field `token`.

    Google answers 200 on success and 400 `invalid_token` for a token it no longer knows, which
    means the grant is already gone. See https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke
    """
    import requests

    from shared.http.session import TIMEOUT_SECONDS, session

    token = tokens.refresh_token or tokens.access_token
    try:
        response = session().post(client.revoke_url, data={"token": token}, timeout=TIMEOUT_SECONDS)
    except requests.RequestException:
        raise TransientProviderError(provider, f"{provider} revocation endpoint could not be reached") from None
    if response.status_code == 200:
        return
    if response.status_code == 400 and _oauth_error(response) == "invalid_token":
        return
    if response.status_code >= 500:
        raise TransientProviderError(provider, f"{provider} revocation failed (HTTP {response.status_code})",
                                     status=response.status_code)
    raise ProviderRejected(provider, f"{provider} refused the revocation (HTTP {response.status_code})",
                           status=response.status_code)


def id_token_claims(provider: str, tokens: TokenSet, client: OAuthClient) -> Mapping[str, Any]:
    """Return the claims of the token answer's ID token, which must be for our client and name a subject.

    The token came straight from Google's token endpoint over TLS, so its signature need not be
    checked (OpenID Connect Core 3.1.3.7); its audience must still be our client.

    Raises:
        TransientProviderError: no ID token, a malformed one, or one not for this client.
    """
    import jwt

    if not tokens.id_token:
        raise TransientProviderError(provider, "the token answer has no ID token (openid scope)")
    try:
        claims = jwt.decode(tokens.id_token, options={"verify_signature": False, "verify_exp": False})
    except jwt.PyJWTError:
        raise TransientProviderError(provider, "the ID token is malformed") from None
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client.client_id not in audiences or not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise TransientProviderError(provider, "the ID token is not for this client or has no subject")
    return claims


def id_token_email(provider: str, tokens: TokenSet, client: OAuthClient) -> str | None:
    """Return the e-mail of the Google account the ID token names, or None when it names none."""
    try:
        email = id_token_claims(provider, tokens, client).get("email")
    except TransientProviderError:
        return None
    return email if isinstance(email, str) and email else None


def _oauth_error(response: Any) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("error") if isinstance(body, dict) else None


def google_provider(*, name: str, display_name: str, api_url: str, source: str = "", settings_prefix: str = "",
                    **declaration: Any) -> Provider:
    """Declare a provider that signs in with Google: Google's endpoints, PKCE, revocation, error envelope.

    `declaration` holds the rest of the `Provider` fields (scopes, identity, streams, ...).
    """
    from shared.providers.google_errors import google_error_details

    return Provider(name=name, display_name=display_name, source=source, settings_prefix=settings_prefix,
                    endpoints=google_endpoints(api_url), uses_pkce=True, revoke=google_revoker(name),
                    authorize_params=AUTHORIZE_PARAMS, error_quirk=google_error_details, **declaration)
