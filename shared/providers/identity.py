"""Reading the provider's account from an identity endpoint that answers a JSON object."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.errors import TransientProviderError
from shared.http.session import bearer, request_json
from shared.providers.base import AccountIdentity, IdentityHook, OAuthClient, ProviderSettings, TokenSet


def account_in(provider: str, body: Any, key: str, answer: str, label_key: str | None = None) -> AccountIdentity:
    """Return the account an identity answer names: the non-empty string `key`, and `label_key` when present.

    Args:
        provider: the provider name, for errors.
        body: the decoded answer.
        key: the member holding the user id.
        answer: what the endpoint is called in the error message ("identity").
        label_key: the member holding a label the account's owner recognises (an e-mail), if any.

    Raises:
        TransientProviderError: the answer has no such member.
    """
    user_id = body.get(key) if isinstance(body, Mapping) else None
    if not isinstance(user_id, str) or not user_id:
        raise TransientProviderError(provider, f"{answer} answer has no {key}")
    label = body.get(label_key) if label_key else None
    return AccountIdentity(user_id, label if isinstance(label, str) and label.strip() else None)


def identity_from(provider: str, path: str, key: str, label_key: str | None = None) -> IdentityHook:
    """Return an identity hook reading `key` (and `label_key`) from a bearer GET of `<api_url><path>`."""
    answer = path.rstrip("/").rsplit("/", 1)[-1]

    def read(settings: ProviderSettings, tokens: TokenSet, client: OAuthClient) -> AccountIdentity:
        body = request_json(provider, "GET", f"{settings.endpoints.api_url}{path}",
                            headers=bearer(tokens.access_token))
        return account_in(provider, body, key, answer, label_key)

    return read
