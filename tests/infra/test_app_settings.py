"""App settings: the Bicep template and shared/config.py agree on what the app reads.

Every declared setting is either set by infra/modules/appsettings.bicep or left at its default, and
then listed with that default in docs/deploy.md. The storage connection is identity-based: the
template sets the AzureWebJobsStorage__* family (accountName, queueServiceUri, credential,
clientId) and never AzureWebJobsStorage itself, a connection string that needs shared keys.
"""

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pycep import BicepParser

from shared.config import KEY_VAULT, setting_declarations

ROOT = Path(__file__).resolve().parents[2]
APP_SETTINGS_BICEP = ROOT / "infra" / "modules" / "appsettings.bicep"
DEPLOY_DOC = ROOT / "docs" / "deploy.md"
BINDING_EXPRESSION = re.compile(r"%([A-Za-z_][A-Za-z0-9_]*)%")
KEY_VAULT_REFERENCE = "@Microsoft.KeyVault(SecretUri="

# Settings read by the Functions host or the Azure SDKs rather than shared/config.py.
PLATFORM_SETTINGS = {
    "AzureWebJobsStorage__accountName",  # host storage account, identity-based
    "AzureWebJobsStorage__credential",  # "managedidentity"
    "AzureWebJobsStorage__clientId",  # which user-assigned identity the host uses
    "AZURE_CLIENT_ID",  # DefaultAzureCredential picks the user-assigned identity
    "APPLICATIONINSIGHTS_CONNECTION_STRING",
    "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",  # Entra sign-in for telemetry
}


def _objects(node: Any, variables: dict[str, Any]) -> list[dict[str, Any]]:
    """Return every object literal an app-settings expression (union, ?:, variable) can yield."""
    if isinstance(node, str) and node in variables:
        return _objects(variables[node]["value"], variables)
    if isinstance(node, dict) and node.get("function", {}).get("type") == "union":
        return [obj for arg in node["function"]["parameters"].values() for obj in _objects(arg, variables)]
    if isinstance(node, dict) and node.get("operator", {}).get("type") == "conditional":
        operands = node["operator"]["operands"]
        return _objects(operands["true_value"], variables) + _objects(operands["false_value"], variables)
    if isinstance(node, dict) and not {"function", "operator"} & node.keys():
        return [node]
    raise AssertionError(f"cannot read app settings from the expression {node!r}")


def template_settings() -> dict[str, Any]:
    """Return name -> value expression of every app setting appsettings.bicep can set."""
    template = BicepParser().parse(text=APP_SETTINGS_BICEP.read_text(encoding="utf-8"))
    configs = [r["config"] for r in template["resources"].values()
               if r["type"] == "Microsoft.Web/sites/config" and r["config"]["name"] == "appsettings"]
    assert len(configs) == 1, "expected one Microsoft.Web/sites/config 'appsettings' resource"
    settings: dict[str, Any] = {}
    for obj in _objects(configs[0]["properties"], template.get("variables", {})):
        settings.update(obj)
    return settings


def render_default(value: Any) -> str:
    """Render a declared default the way docs/deploy.md shows it."""
    if value is None or value in ((), {}):
        return "(none)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return ",".join(str(item) for item in value)
    if isinstance(value, dict):
        return ",".join(f"{key}:{item}" for key, item in value.items())
    return str(value)


def documented_defaults() -> dict[str, str]:
    """Return setting -> default from the table between the markers in docs/deploy.md."""
    text = DEPLOY_DOC.read_text(encoding="utf-8")
    table = text.split("<!-- settings-at-default:start -->")[1].split("<!-- settings-at-default:end -->")[0]
    rows = re.findall(r"^\|\s*`([^`]+)`\s*\|\s*([^|]*?)\s*\|", table, flags=re.MULTILINE)
    return {name: default.strip("`") for name, default in rows}


DECLARATIONS = {d["name"]: d for d in setting_declarations()}
SET = template_settings()


def test_template_sets_every_required_setting():
    missing = sorted(name for name, d in DECLARATIONS.items() if d["required"] and name not in SET)
    assert not missing, f"required settings the template does not set: {missing}"


def test_settings_left_unset_are_optional_and_documented_with_their_defaults():
    unset = {name: d for name, d in DECLARATIONS.items() if name not in SET}
    assert all(not d["required"] for d in unset.values())
    expected = {name: render_default(d["default"]) for name, d in unset.items()}
    rows = "\n".join(f"| `{name}` | `{default}` | {unset[name]['doc']} |" for name, default in expected.items())
    assert documented_defaults() == expected, f"docs/deploy.md settings table should read:\n{rows}"


def test_template_sets_only_declared_or_platform_settings():
    unknown = sorted(set(SET) - set(DECLARATIONS) - PLATFORM_SETTINGS)
    assert not unknown, f"settings nobody reads (typo?): {unknown}"


@pytest.mark.parametrize("name", sorted(SET), ids=sorted(SET))
def test_secrets_are_key_vault_references_and_nothing_else_is(name):
    value = SET[name]
    is_secret = name in DECLARATIONS and DECLARATIONS[name]["azure"] == KEY_VAULT
    is_reference = isinstance(value, str) and value.startswith(KEY_VAULT_REFERENCE) and value.endswith(")")
    assert is_reference == is_secret


def test_storage_and_database_use_the_managed_identity():
    assert "AzureWebJobsStorage" not in SET
    assert SET["AzureWebJobsStorage__credential"] == "managedidentity"
    assert SET["AzureWebJobsStorage__clientId"] == SET["AZURE_CLIENT_ID"] == "identityClientId"
    assert SET["AzureWebJobsStorage__accountName"] == "storageAccountName"
    assert SET["AzureWebJobsStorage__queueServiceUri"] == "storageQueueEndpoint"
    assert SET["POSTGRES_AUTH"] == "entra"
    assert "POSTGRES_PASSWORD" not in SET
    assert "EVENTHUB_CONNECTION_STRING" not in SET
    assert SET["SINK_KIND"] == "eventhub"


def test_binding_expressions_resolve_from_the_template():
    # The host resolves %NAME% in trigger declarations from app settings, never from config defaults.
    blueprints = [path.read_text(encoding="utf-8") for path in ROOT.glob("*/__init__.py")]
    used = {name for text in blueprints if "func.Blueprint(" in text for name in BINDING_EXPRESSION.findall(text)}
    assert used, "expected the timer schedules as binding expressions"
    assert not sorted(used - set(SET)), f"binding expressions the template does not set: {sorted(used - set(SET))}"
    for name in sorted(used & set(DECLARATIONS)):
        assert SET[name] == DECLARATIONS[name]["default"], f"{name} differs from its default in shared/config.py"
