"""The runtime packages are locked: exact versions with hashes, installed with hash checking everywhere."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")
# PyJWT 2.10.0 checks the issuer by prefix (CVE-2024-53861), fixed in 2.10.1; shared/auth.py needs 2.14
# (the JWKS client's refresh cooldown).
PYJWT_FLOOR = (2, 14, 0)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements(path: Path) -> list[str]:
    """Return the requirement lines of a file, continuation lines joined, comments dropped."""
    joined = path.read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.split(" #")[0].strip() for line in joined.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _locked() -> dict[str, str]:
    """Return package -> exact version of requirements.txt, checking each line has a hash."""
    locked = {}
    for line in _requirements(ROOT / "requirements.txt"):
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line)
        assert match, f"not pinned exactly: {line!r}"
        assert "--hash=sha256:" in line, f"no hash for {match.group(1)}"
        locked[_normal(match.group(1))] = match.group(2)
    return locked


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_every_runtime_package_is_pinned_with_hashes():
    locked = _locked()
    wanted = {_normal(NAME.match(line).group(1)) for line in _requirements(ROOT / "requirements.in")}
    assert wanted <= set(locked), f"not in the lock: {sorted(wanted - set(locked))}"


def test_pyjwt_is_past_the_issuer_prefix_flaw():
    assert _version(_locked()["pyjwt"]) >= PYJWT_FLOOR
    floor = next(line for line in _requirements(ROOT / "requirements.in") if _normal(line).startswith("pyjwt"))
    assert _version(floor.split(">=")[1]) >= PYJWT_FLOOR


def test_scripts_install_the_lock_with_hash_checking():
    common = (ROOT / "scripts" / "lib" / "common.sh").read_text(encoding="utf-8")
    assert re.search(r'pip install [^\n]*--require-hashes -r "\$lock"', common)
    assert 'lock="$ROOT/requirements.txt"' in common
    # Hash checking applies to a whole pip run: the dev tools must not pull the lock in again.
    assert "-r requirements.txt" not in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")


def test_deployment_installs_the_lock():
    funcignore = (ROOT / ".funcignore").read_text(encoding="utf-8").split()
    assert "requirements.txt" not in funcignore and "requirements-dev.txt" in funcignore
    assert "pip install --require-hashes -r requirements.txt" in (ROOT / "docs" / "deploy.md").read_text(
        encoding="utf-8")
