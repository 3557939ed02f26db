"""Settings: every required setting missing is named; malformed values are refused."""

import base64

import pytest

from shared.config import SettingsError, load_settings, setting_declarations

VALID = {
    "AzureWebJobsStorage": "UseDevelopmentStorage=true",
    "POSTGRES_DSN": "host=127.0.0.1 dbname=x user=y",
    "TOKEN_ENCRYPTION_KEYS": "k1:" + base64.b64encode(bytes(32)).decode(),
    "PERSONICLE_OIDC_ISSUER": "https://issuer.example",
    "PERSONICLE_OIDC_AUDIENCE": "personicle-connect",
    "PUBLIC_BASE_URL": "https://app.example",
    "RETURN_TO_ALLOWLIST": "https://app.example/connect",
}
REQUIRED = [d["name"] for d in setting_declarations() if d["required"]]


def test_valid_settings_load_with_defaults():
    settings = load_settings(VALID)
    assert settings.sync_backfill_days == 365
    assert settings.token_encryption_keys == {"k1": bytes(32)}
    assert settings.return_to_allowlist == ("https://app.example/connect",)


@pytest.mark.parametrize("name", REQUIRED, ids=REQUIRED)
def test_each_missing_required_setting_is_named(name):
    environ = {key: value for key, value in VALID.items() if key != name}
    with pytest.raises(SettingsError, match=f"missing setting {name}"):
        load_settings(environ)


def test_storage_needs_a_connection_string_or_a_queue_endpoint():
    environ = {key: value for key, value in VALID.items() if key != "AzureWebJobsStorage"}
    with pytest.raises(SettingsError, match="missing setting AzureWebJobsStorage"):
        load_settings(environ)
    settings = load_settings({**environ, "AzureWebJobsStorage__queueServiceUri": "https://acct.queue.core.windows.net"})
    assert settings.storage_connection is None


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("SYNC_BACKFILL_DAYS", "a year", "expected a whole number"),
        ("SYNC_BACKFILL_DAYS", "0", "greater than 0"),
        ("TOKEN_ENCRYPTION_KEYS", "k1:" + base64.b64encode(bytes(16)).decode(), "32 bytes"),
        ("TOKEN_ENCRYPTION_KEYS", "no-separator", "id:base64key"),
        ("TOKEN_ENCRYPTION_KEYS", "k1:***", "not valid base64"),
        ("PUBLIC_BASE_URL", "app.example", "http"),
        ("SINK_KIND", "kafka", "expected one of"),
        ("GOOGLE_FIT_END_OF_SERVICE", "31/12/2026", "YYYY-MM-DD"),
        ("REFRESH_TOKENS_SCHEDULE", "*/15 * * * *", "6-field"),
        ("SCHEMA_AUTO_REGISTER", "maybe", "true or false"),
        ("TOKEN_ENCRYPTION_ACTIVE_KEY", "k9", "not a key id"),
    ],
    ids=["int", "int-zero", "key-length", "key-format", "key-base64", "url", "choice", "date", "cron",
         "bool", "active-key"],
)
def test_malformed_setting_is_named(name, value, reason):
    with pytest.raises(SettingsError, match=f"malformed setting {name}: .*{reason}"):
        load_settings({**VALID, name: value})


def test_all_problems_are_reported_together():
    with pytest.raises(SettingsError) as raised:
        load_settings({"SYNC_BACKFILL_DAYS": "x"})
    message = str(raised.value)
    assert all(f"missing setting {name}" in message for name in REQUIRED)
    assert "malformed setting SYNC_BACKFILL_DAYS" in message


def test_readme_documents_every_setting():
    from devtools.settings_doc import ROOT, readme_table, settings_table

    assert readme_table((ROOT / "README.md").read_text()) == settings_table(), \
        "README settings table is stale: run python -m devtools.settings_doc --write"
