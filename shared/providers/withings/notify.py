"""A Withings user's notification subscriptions to our callback (docs/providers/withings.md 8.2-8.4).

`POST <api>/notify` with the user's bearer token: `list` (`profiles` of `appli`, `callbackurl`),
`subscribe` and `revoke` (`callbackurl`, `appli`). Subscriptions are per user and category: the
categories we read (8.4) whose scope the user granted are subscribed when the connection is
confirmed, missing ones only (Withings refuses a second subscription of the same category and URL);
all of ours are revoked when it is disconnected. Withings checks the callback with a HEAD before it
subscribes (`webhook.py` answers it). The callback URL carries the secret, so it is never logged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from shared.errors import RequestError
from shared.http.session import bearer, request_json
from shared.providers.withings.envelope import ERRORS, payload
from shared.providers.withings.webhook import SECRET_PARAM
from shared.webhooks.manage import endpoint_url

if TYPE_CHECKING:
    from shared.config import Settings
    from shared.providers.base import TokenSet

PROVIDER = "withings"
# Scope -> the categories it lets us subscribe (8.4).
CATEGORIES_OF = {"user.metrics": (1, 2, 4), "user.activity": (16, 44)}
COMMENT = "Personicle Connect"


def callback_url(settings: Settings) -> str:
    """Return the callback URL Withings is given: ours, with the secret in its query.

    Raises:
        RequestError: 503 when `WITHINGS_WEBHOOK_SECRET` is not set.
    """
    from shared.providers.withings.provider import WITHINGS

    own = WITHINGS.settings_of(settings)
    secret = own.webhook.get("secret")
    if not secret:
        raise RequestError(503, "provider_not_configured", "WITHINGS_WEBHOOK_SECRET is not set")
    parts = urlsplit(endpoint_url(settings, PROVIDER, own.webhook.get("callback_url")))
    query = [(name, value) for name, value in parse_qsl(parts.query) if name != SECRET_PARAM]
    return urlunsplit(parts._replace(query=urlencode([*query, (SECRET_PARAM, secret)])))


def same_url(first: str, second: str) -> bool:
    """Compare callback URLs as Withings may echo them: host case, a trailing slash, query order."""
    def normal(url: str) -> tuple[str, str, str, tuple]:
        parts = urlsplit(url)
        return parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), tuple(sorted(parse_qsl(parts.query)))

    return normal(first) == normal(second)


def wanted_categories(scopes: tuple[str, ...] | None) -> list[int]:
    """Return the categories to subscribe for the granted scopes (None: every category we read)."""
    return sorted({appli for scope, categories in CATEGORIES_OF.items()
                   if scopes is None or scope in scopes for appli in categories})


class WithingsNotify:
    """The notify service of one Withings user, for our callback URL."""

    def _call(self, settings: Settings, tokens: TokenSet, form: dict[str, Any]) -> Any:
        from shared.providers.withings.provider import WITHINGS

        url = WITHINGS.api_url(settings).rstrip("/") + "/notify"
        return payload(request_json(PROVIDER, "POST", url, quirk=ERRORS, headers=bearer(tokens.access_token),
                                    data=form))

    def subscribed(self, settings: Settings, tokens: TokenSet) -> list[int]:
        """Return the categories subscribed to our callback URL."""
        ours = callback_url(settings)
        profiles = self._call(settings, tokens, {"action": "list"}).get("profiles")
        return sorted({item.get("appli") for item in profiles if isinstance(item, dict)
                       and type(item.get("appli")) is int and same_url(str(item.get("callbackurl", "")), ours)}
                      if isinstance(profiles, list) else set())

    def subscribe(self, settings: Settings, tokens: TokenSet) -> int:
        """Subscribe the categories of the granted scopes not subscribed yet; return how many."""
        url, present = callback_url(settings), set(self.subscribed(settings, tokens))
        missing = [appli for appli in wanted_categories(tokens.scopes) if appli not in present]
        for appli in missing:
            self._call(settings, tokens, {"action": "subscribe", "callbackurl": url, "appli": appli,
                                          "comment": COMMENT})
        return len(missing)

    def unsubscribe(self, settings: Settings, tokens: TokenSet) -> int:
        """Revoke every subscription of the user to our callback URL; return how many."""
        url, present = callback_url(settings), self.subscribed(settings, tokens)
        for appli in present:
            self._call(settings, tokens, {"action": "revoke", "callbackurl": url, "appli": appli})
        return len(present)


def subscriptions() -> WithingsNotify:
    """Return the user subscriptions (imported on first use)."""
    return WithingsNotify()
