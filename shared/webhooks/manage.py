"""What a provider's webhook registration offers: list what is registered, and repair it.

`python -m shared.webhooks.manage <provider> list|repair [--access-token TOKEN]` runs them by hand
(docs/deploy.md); `timer_webhook_subscriptions` runs `repair` of each provider whose registration
expires (`renews` true).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from shared.config import Settings


@dataclass(frozen=True)
class Registration:
    """One registration at the provider (a subscription or subscriber), as listed."""

    id: str
    target: str
    detail: str
    expires_at: datetime | None = None


@dataclass
class RepairReport:
    """What a repair did (ids and counts only, never secrets)."""

    created: list[str] = field(default_factory=list)
    renewed: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: int = 0


class WebhookRegistrar(Protocol):
    """A provider's registration of our webhook endpoint."""

    renews: bool  # registrations expire: the timer repairs them

    def list(self, settings: Settings, access_token: str | None) -> list[Registration]:
        """Return the registrations that exist at the provider."""

    def repair(self, settings: Settings, access_token: str | None, now: datetime) -> RepairReport:
        """Create what is missing, renew what expires soon, update what differs."""


def endpoint_url(settings: Settings, provider: str, configured: str | None) -> str:
    """Return the webhook URL the provider is given (a setting, else under PUBLIC_BASE_URL)."""
    return configured or f"{settings.public_base_url.rstrip('/')}/api/webhooks/{provider}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; print JSON; return the exit status."""
    from shared.clock import utc_now
    from shared.config import get_settings
    from shared.errors import ProviderError
    from shared.providers import PROVIDERS

    parser = argparse.ArgumentParser(prog="python -m shared.webhooks.manage", description=__doc__.splitlines()[0])
    parser.add_argument("provider", choices=[name for name, p in PROVIDERS.items() if p.webhook and p.webhook.registrar])
    parser.add_argument("action", choices=("list", "repair"))
    parser.add_argument("--access-token", help="OAuth access token for the provider's management API, if it needs one")
    args = parser.parse_args(argv)
    registrar = PROVIDERS[args.provider].webhook.registrar()  # type: ignore[union-attr, misc]
    settings = get_settings()
    try:
        if args.action == "list":
            out: Any = [vars(item) for item in registrar.list(settings, args.access_token)]
        else:
            out = vars(registrar.repair(settings, args.access_token, utc_now()))
    except ProviderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(json.dumps(out, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
