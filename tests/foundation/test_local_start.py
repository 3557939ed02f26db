"""`func start` as Azure developers use it, and an app that indexes every function whatever its settings."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared.config import SettingsError, load_settings
from tests.sink.fakes import REQUIRED_SETTINGS

ROOT = Path(__file__).resolve().parents[2]
LOCAL_VALUES = json.loads((ROOT / "local.settings.json").read_text())["Values"]
KEY = "local1:" + base64.b64encode(bytes(range(32))).decode()

# Import the app with exactly these settings (what the Functions host does), then report what it indexed
# and what /api/health and an API function answer. Nothing is reached over the network: a misconfigured
# app answers before it would.
PROBE = """
import json, sys
import azure.functions as func
from function_app import app
functions = app.get_functions()
names = [f.get_function_name() for f in functions]
handlers = {f.get_function_name(): f.get_user_function() for f in functions}
out = {"functions": names}
if sys.argv[1] == "call":
    request = func.HttpRequest(method="GET", url="http://h/api/health", body=b"", headers={}, params={},
                               route_params={})
    health = handlers["health"](request)
    job = b'{"version":1,"connection_id":"00000000-0000-0000-0000-000000000001","provider":"oura","reason":"manual"}'
    try:
        from devtools.localhost.invoke import LocalContext
        handlers["queue_download_oura"](func.QueueMessage(body=job), LocalContext("queue_download_oura"))
        failure = None
    except Exception as error:
        failure = f"{type(error).__name__}: {error}"
    out.update(health=[health.status_code, json.loads(health.get_body())], download=failure)
print(json.dumps(out))
"""


def _import_app(values: dict[str, str], mode: str = "index") -> dict:
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), **values}
    result = subprocess.run([sys.executable, "-c", PROBE, mode], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_local_settings_point_at_the_key_file_the_start_command_writes():
    common = (ROOT / "scripts" / "lib" / "common.sh").read_text()
    assert 'key_file="$LOCAL_DIR/secrets/token-encryption-keys"' in common
    assert LOCAL_VALUES["TOKEN_ENCRYPTION_KEYS_FILE"] == ".local/secrets/token-encryption-keys"
    assert "TOKEN_ENCRYPTION_KEYS" not in LOCAL_VALUES  # the secret itself stays out of the repository


def test_the_keyring_is_read_from_a_file_when_not_set(tmp_path):
    key_file = tmp_path / "keys"
    key_file.write_text(KEY + "\n")
    values = {k: v for k, v in REQUIRED_SETTINGS.items() if k != "TOKEN_ENCRYPTION_KEYS"}
    settings = load_settings({**values, "TOKEN_ENCRYPTION_KEYS_FILE": str(key_file)})
    assert settings.token_encryption_keys == {"local1": bytes(range(32))}
    # The setting wins over the file.
    assert load_settings({**REQUIRED_SETTINGS, "TOKEN_ENCRYPTION_KEYS_FILE": str(key_file)}
                         ).token_encryption_keys == {"k1": bytes(32)}


@pytest.mark.parametrize("file_text, message", [
    (None, "missing setting TOKEN_ENCRYPTION_KEYS (or TOKEN_ENCRYPTION_KEYS_FILE)"),
    ("not a keyring", "malformed setting TOKEN_ENCRYPTION_KEYS_FILE"),
], ids=["neither", "bad-file"])
def test_a_missing_or_bad_keyring_is_named(tmp_path, file_text, message):
    values = {k: v for k, v in REQUIRED_SETTINGS.items() if k != "TOKEN_ENCRYPTION_KEYS"}
    if file_text is not None:
        (tmp_path / "keys").write_text(file_text)
        values["TOKEN_ENCRYPTION_KEYS_FILE"] = str(tmp_path / "keys")
    with pytest.raises(SettingsError) as raised:
        load_settings(values)
    assert message in str(raised.value) and KEY not in str(raised.value)
    assert raised.value.setting_names[0].startswith("TOKEN_ENCRYPTION_KEYS")


def test_an_unreadable_key_file_is_named_without_its_path_contents(tmp_path):
    values = {k: v for k, v in REQUIRED_SETTINGS.items() if k != "TOKEN_ENCRYPTION_KEYS"}
    with pytest.raises(SettingsError, match="TOKEN_ENCRYPTION_KEYS_FILE: cannot read it"):
        load_settings({**values, "TOKEN_ENCRYPTION_KEYS_FILE": str(tmp_path / "absent")})


def test_the_app_starts_with_exactly_the_local_settings_once_the_key_file_exists():
    key_file = ROOT / LOCAL_VALUES["TOKEN_ENCRYPTION_KEYS_FILE"]
    created = not key_file.exists()
    if created:  # what the start command's first run leaves behind
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(KEY + "\n")
    try:
        indexed = _import_app({k: str(v) for k, v in LOCAL_VALUES.items()}, mode="settings")
        env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT),
               **{k: str(v) for k, v in LOCAL_VALUES.items()}}
        loaded = subprocess.run([sys.executable, "-c", "from shared.config import get_settings; get_settings()"],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    finally:
        if created:
            key_file.unlink()
    assert len(indexed["functions"]) >= 12
    assert loaded.returncode == 0, loaded.stderr[-1000:]


def test_a_missing_setting_still_indexes_every_function_and_health_names_it():
    complete = _import_app({k: str(v) for k, v in {**LOCAL_VALUES, "TOKEN_ENCRYPTION_KEYS": KEY}.items()})
    broken = {k: str(v) for k, v in LOCAL_VALUES.items() if k not in ("POSTGRES_DSN", "TOKEN_ENCRYPTION_KEYS_FILE")}
    found = _import_app(broken, mode="call")
    assert found["functions"] == complete["functions"]
    status, body = found["health"]
    assert status == 503 and body["status"] == "misconfigured"
    assert body["settings"] == ["POSTGRES_DSN", "TOKEN_ENCRYPTION_KEYS"]
    assert found["download"].startswith("SettingsError: missing setting POSTGRES_DSN")


def test_an_api_function_answers_503_naming_no_secret_when_settings_are_missing():
    import azure.functions as func

    from shared.http_api import dispatch

    def handler(req):
        raise SettingsError(["missing setting POSTGRES_DSN"])

    answer = dispatch(func.HttpRequest(method="GET", url="http://h/api/x", body=b""), {"GET": handler})
    assert answer.status_code == 503
    assert json.loads(answer.get_body())["error"]["code"] == "misconfigured"
