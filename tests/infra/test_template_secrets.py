"""Infrastructure: no secret is a parameter default, a parameter file value or an output."""

import json
import re
from pathlib import Path

import pytest
from pycep import BicepParser

ROOT = Path(__file__).resolve().parents[2]
BICEP_FILES = sorted((ROOT / "infra").rglob("*.bicep"))
SECRET_NAME = re.compile(r"password|secret|credential|key(?![_-]?vault)", re.IGNORECASE)
IDS = [path.relative_to(ROOT).as_posix() for path in BICEP_FILES]
PARSER = BicepParser()  # building the grammar takes about a second


@pytest.mark.parametrize("path", BICEP_FILES, ids=IDS)
def test_no_secret_parameters_outputs_or_secret_resources(path):
    text = path.read_text(encoding="utf-8")
    template = PARSER.parse(text=text)
    for name, parameter in template.get("parameters", {}).items():
        secure = any(d.get("type") == "secure" for d in parameter.get("decorators", []))
        assert not (secure or SECRET_NAME.search(name)) or parameter.get("default") is None, name
    for name in template.get("outputs", {}):
        assert not SECRET_NAME.search(name), f"output {name} looks like a secret"
    assert not re.search(r"\blist(Keys|Secrets|ConnectionStrings|AccountSas|ServiceSas)\s*\(", text)
    assert "Microsoft.KeyVault/vaults/secrets" not in text, "secrets are put into the vault outside the template"


def test_parameter_file_only_refers_to_the_azd_environment():
    parameters = json.loads((ROOT / "infra" / "main.parameters.json").read_text())["parameters"]
    values = {name: entry["value"] for name, entry in parameters.items()}
    literal = {name: value for name, value in values.items() if not re.fullmatch(r"\$\{[A-Z_]+(=[^}]*)?\}", value)}
    assert not literal, f"parameters with literal values: {literal}"
    main = PARSER.parse(text=(ROOT / "infra" / "main.bicep").read_text(encoding="utf-8"))
    assert set(values) <= set(main["parameters"]), "the parameter file names parameters main.bicep lacks"
    required = {name for name, p in main["parameters"].items() if "default" not in p or p["default"] is None}
    assert required <= set(values), "a required parameter of main.bicep has no value in the parameter file"
