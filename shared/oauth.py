"""OAuth 2.0 with requests-oauthlib, used explicitly: authorization URL, code exchange, refresh.

The PKCE verifier is ours (stored server-side with the state, since the callback is another
invocation), there is no automatic refresh, and the library's DEBUG logger, which prints tokens,
is silenced.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import math
import os
import secrets
from typing import Any

from shared.errors import ProviderRejected, ReauthRequired, TransientProviderError
from shared.providers.base import OAuthClient, Provider, TokenSet
from shared.telemetry.signals import observed_refresh

# The granted scopes may be fewer than requested (granular consent): that is not an error.
os.environ.setdefault("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")
for _name in ("requests_oauthlib", "oauthlib"):
    logging.getLogger(_name).setLevel(logging.WARNING)

TOKEN_TIMEOUT_SECONDS = (5, 20)
# A hostile or broken `expires_in` (1e30 seconds) must not overflow a datetime; refreshing early is harmless.
MAX_EXPIRES_IN_SECONDS = 30 * 24 * 3600


def new_state() -> str:
    """Return a fresh OAuth state: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def new_pkce_verifier() -> str:
    """Return a fresh PKCE code verifier (43+ characters, RFC 7636)."""
    return secrets.token_urlsafe(48)


def pkce_challenge(verifier: str) -> str:
    """Return the S256 challenge of a verifier."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _session(provider: Provider, client: OAuthClient, redirect_uri: str | None = None,
             scope: Any = None) -> Any:
    from requests_oauthlib import OAuth2Session

    session = OAuth2Session(client.client_id, redirect_uri=redirect_uri, scope=scope)
    check = _check_token_response(provider.name)
    session.register_compliance_hook("access_token_response", check)
    session.register_compliance_hook("refresh_token_response", check)
    if provider.token_answer is not None:
        rewrite = _rewrite_token_answer(provider.token_answer)
        session.register_compliance_hook("access_token_response", rewrite)
        session.register_compliance_hook("refresh_token_response", rewrite)
    return session


def authorization_url(provider: Provider, client: OAuthClient, redirect_uri: str, state: str,
                      verifier: str | None) -> str:
    """Return the provider's consent URL for this state (and PKCE challenge where supported)."""
    params = dict(provider.authorize_params)
    if verifier is not None:
        params.update(code_challenge=pkce_challenge(verifier), code_challenge_method="S256")
    scope = provider.scope_separator.join(provider.scopes)
    url, _ = _session(provider, client, redirect_uri, scope).authorization_url(
        client.authorize_url, state=state, **params)
    return url


def exchange_code(provider: Provider, client: OAuthClient, redirect_uri: str, code: str,
                  verifier: str | None) -> TokenSet:
    """Exchange an authorization code for tokens.

    Raises:
        ReauthRequired: the code is invalid, used or expired, or the verifier does not match.
        TransientProviderError: 5xx, timeout, unreachable, or a body that is not a token answer.
        ProviderRejected: other refusals (client misconfigured).
    """
    extra = {"code_verifier": verifier} if verifier is not None else {}
    session = _session(provider, client, redirect_uri)
    token = _call_token_endpoint(provider, lambda: session.fetch_token(
        client.token_url, code=code, client_secret=client.client_secret, include_client_id=True,
        timeout=TOKEN_TIMEOUT_SECONDS, **extra, **provider.token_params))
    return _token_set(provider, token)


@observed_refresh
def refresh(provider: Provider, client: OAuthClient, refresh_token: str) -> TokenSet:
    """Use a refresh token; the answer may carry a new refresh token (single-use providers).

    Raises:
        ReauthRequired: `invalid_grant` (revoked, expired, already used).
        TransientProviderError, ProviderRejected: as for `exchange_code`.
    """
    scope = list(provider.refresh_scopes) if provider.refresh_scopes else None
    session = _session(provider, client, scope=scope)
    token = _call_token_endpoint(provider, lambda: session.refresh_token(
        client.token_url, refresh_token=refresh_token, client_id=client.client_id,
        client_secret=client.client_secret, timeout=TOKEN_TIMEOUT_SECONDS, **provider.token_params))
    # requests-oauthlib keeps the old refresh token when the answer carries none (Google's way).
    return _token_set(provider, token)


def _call_token_endpoint(provider: Provider, call: Any) -> dict:
    import requests
    from oauthlib.oauth2.rfc6749 import errors as oauth_errors

    try:
        return call()
    except requests.Timeout:
        raise TransientProviderError(provider.name, "the token endpoint did not answer in time") from None
    except requests.ConnectionError:
        raise TransientProviderError(provider.name, "the token endpoint could not be reached") from None
    except requests.RequestException as error:  # a broken answer: chunked encoding, decoding, redirects
        raise TransientProviderError(provider.name,
                                     f"the token endpoint's answer was unreadable ({type(error).__name__})") from None
    except (oauth_errors.InvalidGrantError, oauth_errors.InvalidTokenError) as error:
        raise ReauthRequired(provider.name, f"the provider refused the grant ({error.error})",
                             status=error.status_code) from None
    except (oauth_errors.ServerError, oauth_errors.TemporarilyUnavailableError) as error:
        raise TransientProviderError(provider.name, f"the token endpoint failed ({error.error})",
                                     status=error.status_code) from None
    except oauth_errors.OAuth2Error as error:
        raise ProviderRejected(provider.name, f"the token endpoint refused the request ({error.error})",
                               status=error.status_code) from None


def _check_token_response(provider_name: str) -> Any:
    """Turn 5xx and non-JSON token answers into transient errors before the library parses them."""

    def check(response: Any) -> Any:
        if response.status_code >= 500:
            raise TransientProviderError(provider_name, f"the token endpoint failed (HTTP {response.status_code})",
                                         status=response.status_code)
        try:
            body = response.json()
        except ValueError:
            raise TransientProviderError(provider_name, "the token endpoint answered with a body that is not JSON",
                                         status=response.status_code) from None
        if not isinstance(body, dict):
            raise TransientProviderError(provider_name, "the token endpoint answered with an unexpected body",
                                         status=response.status_code)
        if "expires_in" in body and body["expires_in"] != expires_in_seconds(body["expires_in"]):
            # oauthlib adds `expires_in` to the clock and overflows on a huge value, after a single-use
            # refresh token was already spent; rewrite the body the way requests-oauthlib's compliance fixes do.
            body["expires_in"] = expires_in_seconds(body["expires_in"])
            if body["expires_in"] is None:
                del body["expires_in"]
            response._content = json.dumps(body).encode("utf-8")
        return response

    return check


def _rewrite_token_answer(rewrite: Any) -> Any:
    """Return a compliance hook replacing the answer's JSON body by `rewrite(body)`."""

    def hook(response: Any) -> Any:
        response._content = json.dumps(rewrite(response.json())).encode("utf-8")
        response.encoding = "utf-8"
        return response

    return hook


def _token_set(provider: Provider, token: dict) -> TokenSet:
    access = token.get("access_token")
    if not isinstance(access, str) or not access:
        raise TransientProviderError(provider.name, "the token answer has no access token")
    scope = token.get("scope")
    if isinstance(scope, str):
        scopes: tuple[str, ...] | None = tuple(scope.split())
    elif isinstance(scope, list):
        scopes = tuple(str(item) for item in scope)
    else:
        scopes = None
    refresh_token = token.get("refresh_token")
    return TokenSet(
        access_token=access,
        refresh_token=refresh_token if isinstance(refresh_token, str) and refresh_token else None,
        expires_in=expires_in_seconds(token.get("expires_in")),
        scopes=scopes,
        id_token=token.get("id_token") if isinstance(token.get("id_token"), str) else None,
        user_id=_account_id(token.get("user_id")),
    )


def expires_in_seconds(value: Any) -> int | None:
    """Return a token answer's `expires_in` as whole seconds in [1, 30 days], or None when absent or unusable."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    if isinstance(value, str):
        if not value.strip().isdigit():
            return None
        value = int(value.strip())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    seconds = int(value)
    return min(seconds, MAX_EXPIRES_IN_SECONDS) if seconds > 0 else None


def _account_id(value: Any) -> str | None:
    """Return an account id a token answer carries (a string or an integer), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, str) and value):
        return str(value)
    return None
