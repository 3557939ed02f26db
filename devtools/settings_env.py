"""Print `export` lines for local.settings.json Values that the environment does not set yet."""

import json
import os
import shlex
import sys


def main(path: str) -> None:
    """Print shell exports for the Values missing from the environment."""
    with open(path, encoding="utf-8") as handle:
        values = json.load(handle)["Values"]
    for name, value in values.items():
        if name not in os.environ:
            print(f"export {name}={shlex.quote(str(value))}")


if __name__ == "__main__":
    main(sys.argv[1])
