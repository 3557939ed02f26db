"""What a provider is, declared as data: OAuth endpoints, scopes, revocation and identity hooks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shared.config import Settings


@dataclass(frozen=True)
class OAuthClient:
    """A provider's OAuth endpoints and our client credentials for it."""

    client_id: str
    client_secret: str
    authorize_url: str
    token_url: str
    revoke_url: str | None


@dataclass(frozen=True)
class TokenSet:
    """Tokens from a code exchange or refresh (never logged, never queued)."""

    access_token: str
    refresh_token: str | None
    expires_in: int | None
    scopes: tuple[str, ...] | None
    id_token: str | None = None


@dataclass(frozen=True)
class Provider:
    """One provider, declared as data; behaviour only in the small hooks."""

    name: str
    display_name: str
    source: str
    scopes: tuple[str, ...]
    uses_pkce: bool
    single_use_refresh_tokens: bool
    authorize_params: Mapping[str, str]
    oauth_client: Callable[[Settings], OAuthClient | None]
    fetch_user_id: Callable[[Settings, TokenSet, OAuthClient], str]
    revoke: Callable[[OAuthClient, TokenSet], None] | None
    end_of_service: Callable[[Settings], date | None] = field(default=lambda settings: None)
    default_expires_in: int = 3600

    def client(self, settings: Settings) -> OAuthClient:
        """Return our OAuth client for this provider.

        Raises:
            RequestError: 503 when the provider's client id or secret is not configured.
        """
        from shared.errors import RequestError

        client = self.oauth_client(settings)
        if client is None:
            raise RequestError(503, "provider_not_configured",
                               f"{self.display_name} is not configured on this server")
        return client
