"""PostgresCredentials: password mode returns the password; entra mode caches and refreshes tokens."""

import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from shared.pg_credentials import ENTRA_SCOPE, PostgresCredentials


@dataclass(frozen=True)
class SignIn:
    postgres_auth: str
    postgres_password: str | None = None


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_on: int


class FakeCredential:
    """Issue numbered tokens valid for `lifetime` seconds of the fake clock."""

    def __init__(self, clock, lifetime=3600):
        self.clock = clock
        self.lifetime = lifetime
        self.scopes = []

    def get_token(self, *scopes, **kwargs):
        self.scopes.append(scopes)
        return AccessToken(f"token-{len(self.scopes)}", int(self.clock.now) + self.lifetime)


class FakeClock:
    def __init__(self, now=1_800_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.mark.parametrize("password", ["s3cret", None], ids=["configured", "none"])
def test_password_mode_returns_the_configured_password(password):
    credential = FakeCredential(FakeClock())
    credentials = PostgresCredentials(SignIn("password", password), credential)
    assert credentials.password() == password
    assert credential.scopes == []


def test_entra_mode_returns_a_token_for_the_postgres_scope():
    clock = FakeClock()
    credential = FakeCredential(clock)
    credentials = PostgresCredentials(SignIn("entra", "ignored"), credential, clock=clock)
    assert credentials.password() == "token-1"
    assert credential.scopes == [(ENTRA_SCOPE,)]
    assert ENTRA_SCOPE == "https://ossrdbms-aad.database.windows.net/.default"


def test_entra_token_is_cached_until_five_minutes_before_expiry():
    clock = FakeClock()
    credential = FakeCredential(clock, lifetime=3600)
    credentials = PostgresCredentials(SignIn("entra"), credential, clock=clock)
    assert credentials.password() == "token-1"
    clock.now += 3600 - 301
    assert credentials.password() == "token-1"
    clock.now += 1
    assert credentials.password() == "token-2"
    assert len(credential.scopes) == 2
    clock.now += 60
    assert credentials.password() == "token-2"


def test_expired_token_is_replaced():
    clock = FakeClock()
    credential = FakeCredential(clock, lifetime=3600)
    credentials = PostgresCredentials(SignIn("entra"), credential, clock=clock)
    credentials.password()
    clock.now += 7200
    assert credentials.password() == "token-2"


def test_concurrent_callers_share_one_token():
    clock = FakeClock()
    credential = FakeCredential(clock)
    credentials = PostgresCredentials(SignIn("entra"), credential, clock=clock)
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(credentials.password())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == ["token-1"] * 8
    assert len(credential.scopes) == 1


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="kerberos"):
        PostgresCredentials(SignIn("kerberos"))


def test_azure_identity_is_imported_only_when_a_token_is_needed():
    script = (
        "import sys\n"
        "from types import SimpleNamespace\n"
        "from shared.pg_credentials import PostgresCredentials\n"
        "PostgresCredentials(SimpleNamespace(postgres_auth='password', postgres_password='x')).password()\n"
        "PostgresCredentials(SimpleNamespace(postgres_auth='entra', postgres_password=None))\n"
        "print('azure.identity' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2],
                         capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
