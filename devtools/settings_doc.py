"""Print the README's settings table from the declarations in shared/config.py and local.settings.json."""

from __future__ import annotations

import json
from pathlib import Path

from shared.config import setting_declarations

ROOT = Path(__file__).resolve().parents[1]
GENERATED = {"TOKEN_ENCRYPTION_KEYS": "generated into `.local/secrets/` by the start command"}


def _local_default(item: dict, local_values: dict) -> str:
    name = item["name"]
    if name in GENERATED:
        return GENERATED[name]
    if name in local_values:
        value = str(local_values[name])
        return "Azurite (127.0.0.1:10000-10002)" if name == "AzureWebJobsStorage" else f"`{value}`"
    if item["required"]:
        return "required"
    if item["default"] is None:
        return "unset"
    if isinstance(item["default"], tuple):
        return "`" + ",".join(str(part) for part in item["default"]) + "`"
    return f"`{item['default']}`"


def settings_table() -> str:
    """Return the Markdown table of every app setting."""
    local_values = json.loads((ROOT / "local.settings.json").read_text())["Values"]
    lines = ["| Setting | Meaning | Local default | In Azure |", "| --- | --- | --- | --- |"]
    for item in setting_declarations():
        lines.append(f"| `{item['name']}` | {item['doc']} | {_local_default(item, local_values)} | {item['azure']} |")
    return "\n".join(lines)


START, END = "<!-- settings-table:start -->", "<!-- settings-table:end -->"


def readme_table(readme: str) -> str:
    """Return the settings table currently in the README text."""
    return readme[readme.index(START) + len(START):readme.index(END)].strip()


def write_readme() -> None:
    """Replace the README's settings table with the generated one."""
    path = ROOT / "README.md"
    text = path.read_text()
    current = readme_table(text)
    path.write_text(text.replace(current, settings_table(), 1))


if __name__ == "__main__":
    import sys

    if "--write" in sys.argv:
        write_readme()
    else:
        print(settings_table())
