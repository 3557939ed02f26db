"""Cold start: import time of `function_app` next to `import azure.functions` alone.

Each measurement is a fresh interpreter (what the host does when an instance starts); prints the
median of several runs and the ratio. Run: `.venv/bin/python benchmarks/bench_cold_start.py [runs]`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = (
    "import time, sys; t = time.perf_counter(); import {module}; "
    "print((time.perf_counter() - t) * 1000)"
)
HEAVY_SDKS = ("azure.eventhub", "azure.schemaregistry", "azure.identity", "azure.keyvault.secrets",
              "requests_oauthlib", "psycopg2", "azure.storage.queue", "jwt")


def _environment() -> dict[str, str]:
    values = json.loads((ROOT / "local.settings.json").read_text())["Values"]
    env = {**os.environ, **{k: str(v) for k, v in values.items()}}
    env.setdefault("TOKEN_ENCRYPTION_KEYS", "bench:" + "A" * 43 + "=")
    return env


def _import_ms(module: str, env: dict[str, str]) -> float:
    out = subprocess.run([sys.executable, "-X", "frozen_modules=on", "-c", PROBE.format(module=module)],
                         cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def _loaded_heavy_sdks(env: dict[str, str]) -> list[str]:
    probe = "import sys, function_app; print(','.join(m for m in %r if m in sys.modules))" % (HEAVY_SDKS,)
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.strip()
    return [name for name in out.split(",") if name]


def main(runs: int = 15) -> None:
    """Print the medians and the ratio."""
    env = _environment()
    _import_ms("azure.functions", env)  # warm the file cache once
    base = statistics.median(_import_ms("azure.functions", env) for _ in range(runs))
    app = statistics.median(_import_ms("function_app", env) for _ in range(runs))
    print(f"runs per figure:            {runs}")
    print(f"import azure.functions:     {base:7.1f} ms (median)")
    print(f"import function_app:        {app:7.1f} ms (median)")
    print(f"ratio:                      {app / base:7.2f} (target <= 1.5)")
    print(f"heavy SDKs loaded at start: {', '.join(_loaded_heavy_sdks(env)) or 'none'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
