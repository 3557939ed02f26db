"""Demo page contents, the command-line server and `scripts/token` against it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
STABLE_IDS = ["signin-alice", "signin-bob", "signin-carol", "signout", "signed-in-user", "connections",
              "connections-body", "status-banner", "api-error", "message", "reload",
              *(f"{action}-{provider}" for action in ("connect", "disconnect", "sync")
                for provider in ("fitbit", "oura", "google_fit", "whoop", "withings"))]


def test_demo_page_has_stable_ids_and_the_api_base(sandbox):
    answer = requests.get(f"{sandbox.url}/demo", timeout=10)

    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/html")
    for element_id in STABLE_IDS:
        assert f'id="{element_id}"' in answer.text, element_id
    assert 'data-api-base="http://127.0.0.1:7071/api"' in answer.text
    assert '<script src="/demo/demo.js">' in answer.text


def test_demo_script_calls_the_documented_api(sandbox):
    answer = requests.get(f"{sandbox.url}/demo/demo.js", timeout=10)

    assert answer.headers["Content-Type"].startswith("text/javascript")
    for fragment in ('"/oidc/demo-token"', "sessionStorage", '"/connections"', "/oauth/${provider}/start",
                     "return_to", "authorization_url", '"DELETE", `/connections/${provider}`',
                     "/connections/${provider}/sync", 'params.get("provider")', 'params.get("status")',
                     "/oauth/${provider}/confirm", 'params.get("link")', "history.replaceState"):
        assert fragment in answer.text, fragment


def test_root_redirects_to_the_demo_page(sandbox):
    answer = requests.get(f"{sandbox.url}/", allow_redirects=False, timeout=10)

    assert (answer.status_code, answer.headers["Location"]) == (302, "/demo")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def cli_sandbox(tmp_path_factory) -> Iterator[str]:
    """Run `python -m devtools.sandbox` on a free port with a key file in a temporary folder."""
    port = _free_port()
    key_file = tmp_path_factory.mktemp("sandbox") / "key.pem"
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.sandbox", "--port", str(port), "--key-file", str(key_file), "--quiet",
         "--api-base", "http://127.0.0.1:17071/api"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            requests.get(f"{url}/oidc/jwks", timeout=1)
            break
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"the sandbox did not start: {process.communicate()[0]}") from None
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.parametrize("user", ["bob", "user042"], ids=["demo-user", "any-valid-name"])
def test_token_script_prints_a_verifiable_token(cli_sandbox, user):
    result = subprocess.run([str(ROOT / "scripts" / "token"), user], capture_output=True, text=True, timeout=30,
                            env={"PATH": "/usr/bin:/bin", "SANDBOX_URL": cli_sandbox})

    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    key = jwt.PyJWKClient(f"{cli_sandbox}/oidc/jwks").get_signing_key_from_jwt(token)
    claims = jwt.decode(token, key.key, algorithms=["RS256"], audience="personicle-connect",
                        issuer=f"{cli_sandbox}/oidc")
    assert claims["sub"] == user


def test_cli_registers_the_given_api_base(cli_sandbox):
    answer = requests.get(f"{cli_sandbox}/demo", timeout=10)

    assert 'data-api-base="http://127.0.0.1:17071/api"' in answer.text


@pytest.mark.parametrize("args, url, message", [
    (["Mallory"], None, "invalid user name"),
    (["a" * 65], None, "invalid user name"),
    (["alice"], "http://127.0.0.1:9", "not running at http://127.0.0.1:9"),
    ([], None, "usage: scripts/token USER"),
], ids=["invalid-name", "too-long", "not-running", "no-user"])
def test_token_script_errors(cli_sandbox, args, url, message):
    result = subprocess.run([str(ROOT / "scripts" / "token"), *args], capture_output=True, text=True, timeout=30,
                            env={"PATH": "/usr/bin:/bin", "SANDBOX_URL": url or cli_sandbox})

    assert result.returncode != 0
    assert result.stdout == ""
    assert message in result.stderr
