"""Write the registration kit of our extensions to docs/personicle-registration/ (or check it is current).

Usage: python -m devtools.personicle_registration [--check | --sql]
  --check   report whether the written kit is current (exit 1 if not)
  --sql     print the `CREATE TABLE IF NOT EXISTS` statements of the extension streams' tables
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from shared.contract.registration import dictionary_entries, table_definitions

FOLDER = Path(__file__).resolve().parents[1] / "docs" / "personicle-registration"
HEADER = ("-- Tables for Personicle Connect's extension streams, one per stream, with the columns of\n"
          "-- Personicle's base schemas. Printed by python -m devtools.personicle_registration --sql.\n\n")


def kit() -> dict[str, str]:
    """Return file name -> content of the kit."""
    return {"extensions.json": json.dumps(dictionary_entries(), indent=4, ensure_ascii=False) + "\n"}


def main(argv: list[str]) -> int:
    """Write the kit, or with --check report whether the written one is current (exit 1 if not)."""
    if "--sql" in argv:
        sys.stdout.write(HEADER + table_definitions())
        return 0
    stale = [name for name, text in kit().items()
             if not (FOLDER / name).exists() or (FOLDER / name).read_text(encoding="utf-8") != text]
    if "--check" in argv:
        for name in stale:
            print(f"docs/personicle-registration/{name} is stale: run python -m devtools.personicle_registration")
        return 1 if stale else 0
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, text in kit().items():
        (FOLDER / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
