"""Supply the PostgreSQL sign-in secret: the configured password, or a Microsoft Entra access token.

With `POSTGRES_AUTH=entra` the password libpq sends is an Entra access token for Azure Database for
PostgreSQL, taken from `azure.identity.DefaultAzureCredential` (the managed identity named by
AZURE_CLIENT_ID in Azure; the developer's `az`/`azd` sign-in on a workstation). Tokens live about an
hour; one is cached per process and replaced once it is within five minutes of expiry, so new
connections always carry a token that outlives their sign-in.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

ENTRA_SCOPE = "https://ossrdbms-aad.database.windows.net/.default"
REFRESH_MARGIN_SECONDS = 300.0


class PostgresSignInSettings(Protocol):
    """The two settings that decide how the app signs in to PostgreSQL."""

    postgres_auth: str
    postgres_password: str | None


class TokenCredential(Protocol):
    """What is used of an azure-identity credential: `get_token(scope)` returning an AccessToken."""

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        """Return an object with `token` (str) and `expires_on` (epoch seconds)."""


class PostgresCredentials:
    """Return the password for the next PostgreSQL connection, refreshing Entra tokens as needed."""

    def __init__(
        self,
        settings: PostgresSignInSettings,
        credential: TokenCredential | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Keep the sign-in settings; the Entra credential is made on first use unless injected.

        Args:
            settings: provides `postgres_auth` ("password" or "entra") and `postgres_password`.
            credential: token source for entra mode (default: `DefaultAzureCredential()`, imported lazily
                so a cold start in password mode never loads azure.identity).
            clock: current time in epoch seconds (injectable for tests).

        Raises:
            ValueError: when `postgres_auth` is neither "password" nor "entra".
        """
        if settings.postgres_auth not in ("password", "entra"):
            raise ValueError(f"unknown PostgreSQL sign-in mode {settings.postgres_auth!r}")
        self._mode = settings.postgres_auth
        self._password = settings.postgres_password
        self._credential = credential
        self._clock = clock
        self._token: str | None = None
        self._expires_on = 0.0
        self._lock = threading.Lock()

    def password(self) -> str | None:
        """Return the password to send: the configured one, or a valid Entra access token.

        Returns:
            The configured password (or None) in password mode; an access token in entra mode.

        Raises:
            azure.core.exceptions.ClientAuthenticationError: when no token can be obtained.
        """
        if self._mode == "password":
            return self._password
        with self._lock:
            if self._token is None or self._expires_on - self._clock() <= REFRESH_MARGIN_SECONDS:
                access = self._token_source().get_token(ENTRA_SCOPE)
                self._token, self._expires_on = access.token, float(access.expires_on)
            return self._token

    def _token_source(self) -> TokenCredential:
        """Return the injected credential, or create DefaultAzureCredential on first use."""
        if self._credential is None:
            from azure.identity import DefaultAzureCredential

            self._credential = DefaultAzureCredential()
        return self._credential
