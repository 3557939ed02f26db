"""Load the app's settings once, typed, from app settings (environment variables).

Every setting is declared once, as a field of `Settings` with its app-setting name, parser, default,
meaning and how it is set in Azure. A missing or malformed setting fails at start with an error that
names it. The README's settings table is generated from these declarations (`devtools/settings_doc.py`)
and a test keeps the two equal.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from shared.budget.limits import request_budgets
from shared.contract.extensions import ExtensionSelection, parse_extensions
from shared.setting_parsers import (
    bool_value,
    choice,
    csv,
    keyring,
    ncrontab,
    optional_iso_date,
    optional_secure_url,
    optional_text,
    optional_url,
    positive_int,
    provider_minutes,
    secure_url,
    text,
    url,
)

if TYPE_CHECKING:
    from shared.providers.base import Provider, ProviderSettings

REQUIRED = object()

# How a setting reaches the app in Azure (README column).
KEY_VAULT = "Key Vault reference"
IDENTITY = "identity-based (managed identity)"
PLAIN = "app setting"


class SettingsError(ValueError):
    """One or more app settings are missing or malformed; the message names each of them."""

    def __init__(self, problems: str | list[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))

    @property
    def setting_names(self) -> list[str]:
        """Return the names of the settings at fault, in order."""
        return [problem.split()[2].rstrip(":") for problem in self.problems]


def setting(
    name: str,
    parse: Callable[[str], Any],
    doc: str,
    *,
    default: Any = REQUIRED,
    azure: str = PLAIN,
) -> Any:
    """Declare one app setting as a dataclass field."""
    metadata = {"env": name, "parse": parse, "doc": doc, "azure": azure, "default": default}
    if default is REQUIRED:
        return field(metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Every app setting the app reads, typed."""

    # Storage and database
    storage_connection: str | None = setting(
        "AzureWebJobsStorage", optional_text,
        "Storage connection string for the queues (local Azurite); in Azure leave it unset and use "
        "the identity-based AzureWebJobsStorage__* settings", default=None, azure=IDENTITY)
    storage_queue_service_uri: str | None = setting(
        "AzureWebJobsStorage__queueServiceUri", optional_url,
        "Queue endpoint reached with the managed identity (the host's identity-based connection "
        "setting); one of this or AzureWebJobsStorage is required", default=None, azure=IDENTITY)
    postgres_dsn: str = setting(
        "POSTGRES_DSN", text,
        "libpq connection string without the password (host, port, dbname, user, sslmode)")
    postgres_auth: str = setting(
        "POSTGRES_AUTH", choice("password", "entra"),
        "How the app signs in to PostgreSQL: password (POSTGRES_PASSWORD or none locally) or "
        "entra (Microsoft Entra access token from the managed identity)", default="password")
    postgres_password: str | None = setting(
        "POSTGRES_PASSWORD", optional_text, "PostgreSQL password when POSTGRES_AUTH=password",
        default=None, azure=KEY_VAULT)
    token_encryption_keys: dict = setting(
        "TOKEN_ENCRYPTION_KEYS", keyring,
        "Token encryption keyring: id:base64(32 bytes) entries, comma-separated (required unless "
        "TOKEN_ENCRYPTION_KEYS_FILE is set)", default=None, azure=KEY_VAULT)
    token_encryption_keys_file: str | None = setting(
        "TOKEN_ENCRYPTION_KEYS_FILE", optional_text,
        "File holding the keyring when TOKEN_ENCRYPTION_KEYS is unset (local development: "
        "`.local/secrets/token-encryption-keys`, written by the start command); relative to the project folder",
        default=None)
    token_encryption_active_key: str | None = setting(
        "TOKEN_ENCRYPTION_ACTIVE_KEY", optional_text,
        "Key id used for new ciphertexts (default: the first key of the keyring)", default=None)

    # Personicle sign-in
    oidc_issuer: str = setting("PERSONICLE_OIDC_ISSUER", secure_url,
                               "Issuer of Personicle user tokens (https; http only on loopback)")
    oidc_audience: str = setting("PERSONICLE_OIDC_AUDIENCE", text, "Expected audience of Personicle tokens")
    oidc_jwks_url: str | None = setting(
        "PERSONICLE_OIDC_JWKS_URL", optional_secure_url,
        "JWKS URL (default: from the issuer's OpenID discovery document; https, http only on loopback)",
        default=None)
    oidc_algorithms: tuple = setting(
        "PERSONICLE_OIDC_ALGORITHMS", csv, "Accepted JWT signature algorithms",
        default=("RS256",))
    public_base_url: str = setting(
        "PUBLIC_BASE_URL", url, "Public URL of this app, used to build OAuth redirect URIs")
    return_to_allowlist: tuple = setting(
        "RETURN_TO_ALLOWLIST", csv,
        "Origins or URL prefixes the OAuth flow may redirect back to (comma-separated)")

    # Sink
    sink_kind: str = setting(
        "SINK_KIND", choice("jsonl", "eventhub"), "Where records go: local JSONL files or Event Hubs",
        default="eventhub")
    local_sink_dir: str = setting(
        "LOCAL_SINK_DIR", text, "Folder of the local JSONL sink", default=".local/sink")
    local_sink_rotate_bytes: int = setting(
        "LOCAL_SINK_ROTATE_BYTES", positive_int,
        "Size at which a local JSONL sink file is renamed `<hub>.<n>.jsonl` and a new one started",
        default=64 * 1024 * 1024)
    eventhub_namespace: str | None = setting(
        "EVENTHUB_FULLY_QUALIFIED_NAMESPACE", optional_text,
        "Event Hubs namespace host name (identity-based)", default=None, azure=IDENTITY)
    eventhub_connection_string: str | None = setting(
        "EVENTHUB_CONNECTION_STRING", optional_text,
        "Event Hubs connection string, instead of the namespace and identity", default=None,
        azure=KEY_VAULT)
    events_hub: str = setting(
        "EVENTS_EVENTHUB_NAME", text, "Hub receiving event records", default="events")
    datastreams_hub: str = setting(
        "DATASTREAMS_EVENTHUB_NAME", text, "Hub receiving datastream packets", default="datastreams")
    eventhub_encoding: str = setting(
        "EVENTHUB_ENCODING", choice("json", "avro"),
        "Message encoding: json (what Personicle's Event Hub consumers read) or avro (Schema Registry, opt-in)",
        default="json")
    schema_registry_namespace: str | None = setting(
        "SCHEMA_REGISTRY_FULLY_QUALIFIED_NAMESPACE", optional_text,
        "Schema Registry namespace (default: the Event Hubs namespace)", default=None, azure=IDENTITY)
    schema_registry_group: str = setting(
        "SCHEMA_REGISTRY_GROUP", text, "Schema Registry group", default="personicle")
    eventhub_max_message_bytes: int = setting(
        "EVENTHUB_MAX_MESSAGE_BYTES", positive_int,
        "Largest message the hub takes; long datastreams are split to fit (Standard 1048576, Basic 262144)",
        default=1048576)
    schema_auto_register: bool = setting(
        "SCHEMA_AUTO_REGISTER", bool_value, "Register missing schemas automatically", default=False)
    personicle_extensions: ExtensionSelection = setting(
        "PERSONICLE_EXTENSIONS", parse_extensions,
        "Extension streams and event types to send (not in Personicle's published dictionary; register them "
        "first, see docs/personicle-registration.md): none, all, or full names and prefix.* patterns, "
        "comma-separated", default=ExtensionSelection())

    # Telemetry (APPLICATIONINSIGHTS_CONNECTION_STRING, set by the template, exports to Application Insights)
    telemetry_console: bool = setting(
        "TELEMETRY_CONSOLE", bool_value,
        "Print the app's OpenTelemetry spans and metrics to the console (local development)", default=False)

    # Sync and timers
    sync_backfill_days: int = setting(
        "SYNC_BACKFILL_DAYS", positive_int, "History downloaded by a first sync, in days", default=365)
    sync_recent_days: int = setting(
        "SYNC_RECENT_DAYS", positive_int,
        "Days a stream's first sync reads before its history is backfilled newest to oldest", default=3)
    sync_reconcile_days: int = setting(
        "SYNC_RECONCILE_DAYS", positive_int,
        "Days re-read by the daily reconciliation that replaces polling while a provider's webhooks are healthy",
        default=3)
    sync_reconcile_interval_minutes: int = setting(
        "SYNC_RECONCILE_INTERVAL_MINUTES", positive_int,
        "Time between polls of a connection while its provider's webhooks are healthy", default=1440)
    webhook_healthy_minutes: int = setting(
        "WEBHOOK_HEALTHY_MINUTES", positive_int,
        "A provider's webhooks count as healthy while its last notification is at most this old", default=360)
    sync_time_budget_seconds: int = setting(
        "SYNC_TIME_BUDGET_SECONDS", positive_int,
        "Time a download job works before queueing a continuation", default=300)
    sync_lease_seconds: int = setting(
        "SYNC_LEASE_SECONDS", positive_int,
        "How long a download job holds its connection (one job per connection at a time); longer than "
        "host.json functionTimeout, so a lease outlives its job only after a crash", default=900)
    sync_max_pages_per_window: int = setting(
        "SYNC_MAX_PAGES_PER_WINDOW", positive_int,
        "Pages read for one time window before the stream is stopped as a paging loop", default=1000)
    sync_overlap_minutes: int = setting(
        "SYNC_OVERLAP_MINUTES", positive_int,
        "Re-read overlap before a stream's cursor (providers revise recent data)", default=2880)
    refresh_tokens_schedule: str = setting(
        "REFRESH_TOKENS_SCHEDULE", ncrontab, "NCRONTAB schedule of timer_refresh_tokens",
        default="0 */15 * * * *")
    schedule_sync_schedule: str = setting(
        "SCHEDULE_SYNC_SCHEDULE", ncrontab, "NCRONTAB schedule of timer_schedule_sync",
        default="0 0 * * * *")
    expire_pending_links_schedule: str = setting(
        "EXPIRE_PENDING_LINKS_SCHEDULE", ncrontab,
        "NCRONTAB schedule of timer_expire_pending_links (revokes unconfirmed links)", default="0 */5 * * * *")
    webhook_subscriptions_schedule: str = setting(
        "WEBHOOK_SUBSCRIPTIONS_SCHEDULE", ncrontab,
        "NCRONTAB schedule of timer_webhook_subscriptions (renews expiring provider webhook subscriptions)",
        default="0 30 3 * * *")
    refresh_horizon_minutes: int = setting(
        "REFRESH_HORIZON_MINUTES", positive_int,
        "Refresh access tokens that expire within this many minutes", default=30)
    sync_interval_minutes: int = setting(
        "SYNC_INTERVAL_MINUTES", positive_int, "Time between incremental syncs of a connection", default=60)
    sync_interval_overrides: tuple = setting(
        "SYNC_INTERVAL_MINUTES_BY_PROVIDER", provider_minutes,
        "Per-provider sync intervals overriding SYNC_INTERVAL_MINUTES, e.g. `<provider>=120,<provider>=240`",
        default=())
    refresh_token_max_idle_days: int = setting(
        "REFRESH_TOKEN_MAX_IDLE_DAYS", positive_int,
        "Refresh tokens unused this long are used anyway (Google drops them after about six months idle)",
        default=150)
    timer_time_budget_seconds: int = setting(
        "TIMER_TIME_BUDGET_SECONDS", positive_int, "Time a timer run works before leaving the rest",
        default=240)

    # Throttles and retention
    manual_sync_min_interval_minutes: int = setting(
        "MANUAL_SYNC_MIN_INTERVAL_MINUTES", positive_int,
        "Least time between two manual syncs of a connection (sooner: 429 sync_too_soon)", default=15)
    revoked_retention_days: int = setting(
        "REVOKED_RETENTION_DAYS", positive_int,
        "Days a revoked connection row is kept before timer_purge_retention deletes it", default=30)
    retention_purge_schedule: str = setting(
        "RETENTION_PURGE_SCHEDULE", ncrontab, "NCRONTAB schedule of timer_purge_retention",
        default="0 30 3 * * *")

    # Each provider's settings, read by its prefix (`provider_setting_specs`).
    providers: Mapping[str, ProviderSettings] = field(default_factory=dict, metadata={"env": None})

    def with_provider(self, name: str, **changes: Any) -> Settings:
        """Return a copy whose settings of provider `name` have `changes` (fields of `ProviderSettings`)."""
        from dataclasses import replace

        return replace(self, providers={**self.providers, name: replace(self.providers[name], **changes)})

    def sync_interval_for(self, provider: str) -> int:
        """Return the sync interval of a provider, in minutes."""
        return dict(self.sync_interval_overrides).get(provider, self.sync_interval_minutes)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build `Settings` from the environment.

    Raises:
        SettingsError: naming every missing or malformed setting.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    problems: list[str] = []
    for spec in _setting_fields():
        _read_setting(environ, spec.name, spec.metadata, values, problems)
    values["providers"] = _load_provider_settings(environ, problems)
    if values.get("token_encryption_keys") is None:
        _read_keyring_file(values, problems)
    if not problems and not (values.get("storage_connection") or values.get("storage_queue_service_uri")):
        problems.append("missing setting AzureWebJobsStorage (or AzureWebJobsStorage__queueServiceUri)")
    if not problems:
        active = values.get("token_encryption_active_key")
        if active is not None and active not in values["token_encryption_keys"]:
            problems.append("malformed setting TOKEN_ENCRYPTION_ACTIVE_KEY: not a key id of TOKEN_ENCRYPTION_KEYS")
    if problems:
        raise SettingsError(problems)
    return Settings(**values)


PROJECT_FOLDER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _read_keyring_file(values: dict[str, Any], problems: list[str]) -> None:
    """Read TOKEN_ENCRYPTION_KEYS from TOKEN_ENCRYPTION_KEYS_FILE, or note that neither is set."""
    path = values.get("token_encryption_keys_file")
    if path is None:
        problems.append("missing setting TOKEN_ENCRYPTION_KEYS (or TOKEN_ENCRYPTION_KEYS_FILE)")
        return
    try:
        with open(os.path.join(PROJECT_FOLDER, path), encoding="utf-8") as file:
            values["token_encryption_keys"] = keyring(file.read())
    except OSError as error:
        problems.append(f"malformed setting TOKEN_ENCRYPTION_KEYS_FILE: cannot read it ({error.strerror})")
    except ValueError as error:
        problems.append(f"malformed setting TOKEN_ENCRYPTION_KEYS_FILE: {error}")


@dataclass(frozen=True)
class DatabaseSettings:
    """The settings that reach PostgreSQL: enough for migrations run outside the app."""

    postgres_dsn: str
    postgres_auth: str
    postgres_password: str | None


def load_database_settings(environ: Mapping[str, str] | None = None) -> DatabaseSettings:
    """Read only the PostgreSQL settings (for `python -m shared.migrate` in a deploy hook).

    Raises:
        SettingsError: naming every missing or malformed one.
    """
    environ = os.environ if environ is None else environ
    wanted = {f.name for f in fields(DatabaseSettings)}
    values: dict[str, Any] = {}
    problems: list[str] = []
    for spec in _setting_fields():
        if spec.name not in wanted:
            continue
        name, default = spec.metadata["env"], spec.metadata["default"]
        raw = environ.get(name)
        if raw is None or not raw.strip():
            if default is REQUIRED:
                problems.append(f"missing setting {name}")
            values[spec.name] = None if default is REQUIRED else default
            continue
        try:
            values[spec.name] = spec.metadata["parse"](raw)
        except ValueError as exc:
            problems.append(f"malformed setting {name}: {exc}")
    if problems:
        raise SettingsError(problems)
    return DatabaseSettings(**values)


@functools.cache
def get_settings() -> Settings:
    """Return the process-wide settings, loaded on first use."""
    return load_settings()


def setting_declarations() -> list[dict[str, Any]]:
    """Return each setting's name, meaning, default and Azure source (for docs and tests)."""
    from shared.providers import PROVIDERS

    declared = [spec.metadata for spec in _setting_fields()]
    declared += [metadata for provider in PROVIDERS.values() for metadata in provider_setting_specs(provider).values()]
    return [
        {
            "name": metadata["env"],
            "doc": metadata["doc"],
            "required": metadata["default"] is REQUIRED,
            "default": metadata["default"],
            "azure": metadata["azure"],
        }
        for metadata in declared
    ]


def _setting_fields() -> list[Any]:
    return [spec for spec in fields(Settings) if spec.metadata.get("env")]


def _read_setting(environ: Mapping[str, str], key: str, metadata: Mapping[str, Any], values: dict[str, Any],
                  problems: list[str]) -> None:
    """Parse one declared setting into `values[key]`, or note why it is missing or malformed."""
    name, parse, default = metadata["env"], metadata["parse"], metadata["default"]
    raw = environ.get(name)
    if raw is None or (not raw.strip() and default is not REQUIRED):
        if default is REQUIRED:
            problems.append(f"missing setting {name}")
        elif key not in values:
            values[key] = default
        return
    try:
        values[key] = parse(raw)
    except ValueError as exc:
        problems.append(f"malformed setting {name}: {exc}")


def provider_setting_specs(provider: Provider) -> dict[str, dict[str, Any]]:
    """Return the settings a provider reads by its prefix, keyed by `ProviderSettings` member."""
    prefix, name, urls = provider.settings_prefix, provider.display_name, provider.endpoints

    def spec(suffix: str, parse: Any, doc: str, default: Any, azure: str = PLAIN) -> dict[str, Any]:
        return {"env": f"{prefix}_{suffix}", "parse": parse, "doc": doc, "default": default, "azure": azure}

    specs = {
        "client_id": spec("CLIENT_ID", optional_text, f"{name} OAuth client id (unset: {name} is not offered)", None),
        "client_secret": spec("CLIENT_SECRET", optional_text, f"{name} OAuth client secret", None, KEY_VAULT),
        "authorize_url": spec("AUTHORIZE_URL", secure_url, f"{name} OAuth authorization endpoint",
                              urls.authorize_url),
        "token_url": spec("TOKEN_URL", secure_url, f"{name} OAuth token endpoint", urls.token_url),
        "revoke_url": spec("REVOKE_URL", optional_secure_url, f"{name} OAuth revocation endpoint",
                           urls.revoke_url),
        "api_url": spec("API_URL", secure_url, f"{name} data API base URL", urls.api_url),
        "end_of_service": spec("END_OF_SERVICE", optional_iso_date,
                               f"Date from which {name} connections and syncs are refused (YYYY-MM-DD)",
                               provider.end_of_service_default),
    }
    specs["request_budgets"] = spec(
        "REQUEST_BUDGETS", request_budgets,
        f"App-wide limits on {name} calls, all users together: requests/seconds pairs, comma-separated, or none",
        provider.request_budgets)
    for hook_setting in provider.webhook.settings if provider.webhook else ():
        specs["webhook." + hook_setting.key] = spec(
            "WEBHOOK_" + hook_setting.suffix, optional_text, hook_setting.doc, hook_setting.default,
            KEY_VAULT if hook_setting.secret else PLAIN)
    return specs


def _load_provider_settings(environ: Mapping[str, str], problems: list[str]) -> dict[str, ProviderSettings]:
    from shared.providers import PROVIDERS
    from shared.providers.base import Endpoints, ProviderSettings

    loaded: dict[str, ProviderSettings] = {}
    for provider in PROVIDERS.values():
        values: dict[str, Any] = {}
        specs = provider_setting_specs(provider)
        for key, metadata in specs.items():
            _read_setting(environ, key, metadata, values, problems)
        if len(values) < len(specs):
            continue  # a malformed setting, already named in `problems`
        endpoints = Endpoints(values["authorize_url"], values["token_url"], values["revoke_url"], values["api_url"])
        webhook = {key.removeprefix("webhook."): value for key, value in values.items() if key.startswith("webhook.")}
        loaded[provider.name] = ProviderSettings(values["client_id"], values["client_secret"], endpoints,
                                                 values["end_of_service"], webhook, values["request_budgets"])
    return loaded
