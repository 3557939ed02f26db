"""Reading the provider's user id from an identity endpoint that answers a JSON object."""

from __future__ import annotations

from shared.errors import TransientProviderError
from shared.http.session import bearer, request_json
from shared.providers.base import IdentityHook, OAuthClient, ProviderSettings, TokenSet


def user_id_member(provider: str, url: str, access_token: str, key: str, answer: str) -> str:
    """Return the non-empty string `key` of the object a bearer GET of `url` answers.

    Args:
        provider: the provider name, for errors.
        url: the identity endpoint.
        access_token: the access token to call it with.
        key: the member holding the user id.
        answer: what the endpoint is called in the error message ("identity").

    Raises:
        TransientProviderError: the answer has no such member (and the errors of `request_json`).
    """
    body = request_json(provider, "GET", url, headers=bearer(access_token))
    user_id = body.get(key) if isinstance(body, dict) else None
    if not isinstance(user_id, str) or not user_id:
        raise TransientProviderError(provider, f"{answer} answer has no {key}")
    return user_id


def identity_from(provider: str, path: str, key: str) -> IdentityHook:
    """Return an identity hook reading `key` from a bearer GET of `<api_url><path>`."""
    answer = path.rstrip("/").rsplit("/", 1)[-1]

    def read(settings: ProviderSettings, tokens: TokenSet, client: OAuthClient) -> str:
        return user_id_member(provider, f"{settings.endpoints.api_url}{path}", tokens.access_token, key, answer)

    return read
