"""What a provider is, declared as data: OAuth endpoints, scopes, settings, queue, streams and hooks."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import import_module
from typing import TYPE_CHECKING, Any

from shared.budget.limits import RequestBudget

if TYPE_CHECKING:
    from shared.config import Settings
    from shared.http.errors import ErrorQuirk
    from shared.sync.streams import Stream, StreamContext
    from shared.webhooks.manage import WebhookRegistrar
    from shared.webhooks.receiver import WebhookReceiver
    from shared.webhooks.user_subscriptions import UserSubscriptions


@dataclass(frozen=True)
class Endpoints:
    """A provider's OAuth and API base URLs (the defaults are the provider's real ones)."""

    authorize_url: str
    token_url: str
    revoke_url: str | None
    api_url: str


@dataclass(frozen=True)
class ProviderSettings:
    """One provider's app settings, read by its prefix (`OURA_CLIENT_ID`, `OURA_API_URL`, ...)."""

    client_id: str | None
    client_secret: str | None
    endpoints: Endpoints
    end_of_service: date | None = None
    webhook: Mapping[str, str | None] = field(default_factory=dict)
    request_budgets: tuple[RequestBudget, ...] = ()


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
    user_id: str | None = None  # the account id, where the token answer names it


@dataclass(frozen=True)
class AccountIdentity:
    """The provider account behind a grant: its stable id and, where the provider tells, a label its owner knows."""

    user_id: str
    label: str | None = None


@dataclass(frozen=True)
class WebhookSetting:
    """One setting of a provider's webhook, read as `<PREFIX>_WEBHOOK_<SUFFIX>` (`key` names it in code)."""

    key: str
    suffix: str
    doc: str
    default: str | None = None
    secret: bool = False


Locate = Callable[["StreamContext", str, str], "tuple[datetime, datetime] | None"]


@dataclass(frozen=True)
class Webhook:
    """A provider's push notifications: the settings they need and the receiver (imported on first use).

    Args:
        settings: its settings, read as `<PREFIX>_WEBHOOK_<SUFFIX>`.
        receiver: returns the receiver (handshakes, authentication, parsing).
        registrar: returns the app-level registration (None: registered by hand, or per user).
        subscriptions: returns the per-user subscriptions, made when a connection is confirmed and
            revoked when it is disconnected (None: the provider has none).
        locate: given a stream's context, the stream name and an object id, returns the window holding
            that object (None: the object is gone); used for notifications that name no times.
    """

    settings: tuple[WebhookSetting, ...]
    receiver: Callable[[], WebhookReceiver]
    registrar: Callable[[], WebhookRegistrar] | None = None
    subscriptions: Callable[[], UserSubscriptions] | None = None
    locate: Locate | None = None


IdentityHook = Callable[[ProviderSettings, TokenSet, OAuthClient], AccountIdentity]
RevokeHook = Callable[[OAuthClient, TokenSet], None]


@dataclass(frozen=True, kw_only=True)
class Provider:
    """One provider, declared as data; behaviour only in the small hooks.

    Args:
        name: lower-case name used in routes, queue messages, rows and logs (the key of `PROVIDERS`).
        display_name: the name people read.
        source: the `source` of the Personicle records it produces (default: the name).
        settings_prefix: prefix of its app settings (`ACME` reads `ACME_CLIENT_ID`, `ACME_API_URL`, ...;
            default: the name in capitals).
        endpoints: its real OAuth and API URLs, overridable by settings.
        scopes: the scopes requested at connect time.
        uses_pkce: whether the authorization request carries a PKCE challenge.
        identity: reads the provider's stable user id (and an account label, e.g. an e-mail) after the
            code exchange.
        streams: returns its downloadable streams (imported on first use: cold start stays small).
        revoke: revokes a grant at the provider (None: the provider offers no revocation).
        revoke_needs_live_access_token: the revocation takes the access token, so an expired one is
            refreshed first.
        authorize_params: extra query parameters of the authorization request.
        end_of_service: the day the provider stops its API, if announced (a setting may move it).
        default_expires_in: access-token lifetime assumed when a token answer omits `expires_in`.
        error_quirk: reads the provider's error bodies for what the status code alone does not say.
        webhook: its push notifications (None: it has none; polling only).
        refresh_scopes: the `scope` a refresh request sends (None: none is sent).
        token_params: extra form fields of every token call (code exchange and refresh).
        token_answer: rewrites the token endpoint's JSON answer into the RFC 6749 shape.
        scope_separator: joins the scopes of the authorization request (RFC 6749: a space).
        request_budgets: the app-wide limits on its calls (all users together), each a little under the
            provider's own so clock skew and latency never reach it; a setting may change them.
    """

    name: str
    display_name: str
    source: str = ""
    settings_prefix: str = ""
    endpoints: Endpoints
    scopes: tuple[str, ...]
    uses_pkce: bool
    identity: IdentityHook
    streams: Callable[[], Sequence[Stream]]
    revoke: RevokeHook | None = None
    revoke_needs_live_access_token: bool = False
    authorize_params: Mapping[str, str] = field(default_factory=dict)
    end_of_service_default: date | None = None
    default_expires_in: int = 3600
    error_quirk: ErrorQuirk | None = None
    webhook: Webhook | None = None
    refresh_scopes: tuple[str, ...] | None = None
    token_params: Mapping[str, str] = field(default_factory=dict)
    token_answer: Callable[[Any], Any] | None = None
    scope_separator: str = " "
    request_budgets: tuple[RequestBudget, ...] = ()

    def __post_init__(self) -> None:
        if not self.source:
            object.__setattr__(self, "source", self.name)
        if not self.settings_prefix:
            object.__setattr__(self, "settings_prefix", self.name.upper())

    @property
    def queue(self) -> str:
        """Return the storage queue of its download function (`download-google-fit`)."""
        return "download-" + self.name.replace("_", "-")

    def settings_of(self, settings: Settings) -> ProviderSettings:
        """Return this provider's settings."""
        return settings.providers[self.name]

    def end_of_service(self, settings: Settings) -> date | None:
        """Return the day its service ends, or None when none is announced."""
        return self.settings_of(settings).end_of_service

    def api_url(self, settings: Settings) -> str:
        """Return the base URL of its data API."""
        return self.settings_of(settings).endpoints.api_url

    def budgets(self, settings: Settings) -> tuple[RequestBudget, ...]:
        """Return its app-wide request budgets as configured."""
        return self.settings_of(settings).request_budgets

    def client(self, settings: Settings) -> OAuthClient:
        """Return our OAuth client for this provider.

        Raises:
            RequestError: 503 when the provider's client id or secret is not configured.
        """
        from shared.errors import RequestError

        own = self.settings_of(settings)
        if not own.client_id or not own.client_secret:
            raise RequestError(503, "provider_not_configured",
                               f"{self.display_name} is not configured on this server")
        return OAuthClient(own.client_id, own.client_secret, own.endpoints.authorize_url,
                           own.endpoints.token_url, own.endpoints.revoke_url)

    def account(self, settings: Settings, tokens: TokenSet, client: OAuthClient) -> AccountIdentity:
        """Return the provider account that granted `tokens`."""
        return self.identity(self.settings_of(settings), tokens, client)

    def user_id(self, settings: Settings, tokens: TokenSet, client: OAuthClient) -> str:
        """Return the provider's stable id of the account that granted `tokens`."""
        return self.account(settings, tokens, client).user_id


def streams_of(module: str) -> Callable[[], Sequence[Stream]]:
    """Return a `Provider.streams` hook reading `STREAMS` of `module` on first use (cold start stays small)."""

    def streams() -> Sequence[Stream]:
        return import_module(module).STREAMS

    return streams
