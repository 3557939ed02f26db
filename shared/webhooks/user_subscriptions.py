"""Per-user webhook subscriptions: made when a connection is confirmed, revoked when it is disconnected.

Some providers notify only for the users who subscribed with their own access token (declared as
`Webhook.subscriptions`). A failure is logged and does not stop the confirmation or
the disconnect: polling still reads the data, and the provider's own revocation of the grant ends
its notifications too.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from shared.errors import ProviderError, RequestError

if TYPE_CHECKING:
    from shared.config import Settings
    from shared.providers.base import Provider, TokenSet

log = logging.getLogger(__name__)


class UserSubscriptions(Protocol):
    """A provider's subscriptions of one user to our webhook endpoint."""

    def subscribe(self, settings: Settings, tokens: TokenSet) -> int:
        """Subscribe what is missing; return how many subscriptions were made.

        Raises:
            ProviderError: the provider refused or failed.
            RequestError: 503 when the webhook is not configured.
        """

    def unsubscribe(self, settings: Settings, tokens: TokenSet) -> int:
        """Revoke the user's subscriptions to our endpoint; return how many were revoked."""


def subscribe_user(provider: Provider, settings: Settings, tokens: TokenSet, connection_id: object) -> int | None:
    """Subscribe a newly confirmed connection's user; return the count, None when not done."""
    return _run(provider, "subscribe", settings, tokens, connection_id)


def unsubscribe_user(provider: Provider, settings: Settings, tokens: TokenSet, connection_id: object) -> int | None:
    """Revoke a disconnected user's subscriptions; return the count, None when not done."""
    return _run(provider, "unsubscribe", settings, tokens, connection_id)


def _run(provider: Provider, action: str, settings: Settings, tokens: TokenSet, connection_id: object) -> int | None:
    if provider.webhook is None or provider.webhook.subscriptions is None:
        return None
    subscriptions = provider.webhook.subscriptions()
    try:
        count = getattr(subscriptions, action)(settings, tokens)
    except RequestError as error:
        log.info("%s webhook %s skipped for connection %s: %s", provider.name, action, connection_id, error.code)
        return None
    except ProviderError as error:
        log.warning("%s webhook %s failed for connection %s (%s)", provider.name, action, connection_id,
                    type(error).__name__)
        return None
    log.info("%s webhook %s for connection %s: %d", provider.name, action, connection_id, count)
    return count
