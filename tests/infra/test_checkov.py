"""Infrastructure: checkov finds no failed check in infra/, and every suppression gives a reason."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration  # starts a server or a slow external tool

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
SKIP = re.compile(r"//\s*checkov:skip=([A-Z0-9_]+)(?::(.*))?$")


def _skip_comments() -> list[tuple[str, str, str]]:
    """Return (file, check id, reason) for every checkov suppression comment under infra/."""
    found = []
    for path in sorted(INFRA.rglob("*.bicep")):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = SKIP.search(line.strip())
            if match:
                found.append((path.relative_to(ROOT).as_posix(), match.group(1), (match.group(2) or "").strip()))
    return found


def test_checkov_passes_on_infra(tmp_path):
    results = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, "-m", "checkov.main", "--directory", str(INFRA), "--framework", "bicep",
         "--quiet", "--compact", "--skip-download",
         "--output", "cli", "--output", "json", "--output-file-path", f"console,{results}"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, f"checkov failed:\n{run.stdout}\n{run.stderr[-4000:]}"
    summary = json.loads(results.read_text())["summary"]
    assert summary["failed"] == 0
    assert summary["parsing_errors"] == 0, "a .bicep file could not be parsed, so it was not checked"
    assert summary["passed"] > 0
    assert summary["skipped"] == len(_skip_comments()), "a suppression comment names a check that did not run there"


def test_every_suppression_has_a_reason():
    comments = _skip_comments()
    assert comments, "expected the documented suppressions"
    missing = [f"{path}: {check}" for path, check, reason in comments if len(reason) < 15]
    assert not missing, f"suppressions without a reason: {missing}"
