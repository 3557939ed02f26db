"""Check an answer of the app's HTTP API against the OpenAPI document, so the document cannot drift."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from shared.api.openapi import openapi_document

DOCUMENT = openapi_document()


def _inline(schema: Any) -> Any:
    """Replace `#/components/schemas/...` references with the schemas they name."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            return _inline(DOCUMENT["components"]["schemas"][ref.rsplit("/", 1)[1]])
        return {key: _inline(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_inline(item) for item in schema]
    return schema


def check_answer(route_template: str, method: str, status: int, body: bytes, mimetype: str | None) -> None:
    """Fail unless the document lists this status for this operation and the JSON body fits its schema."""
    operation = DOCUMENT["paths"].get(route_template, {}).get(method.lower())
    assert operation is not None, f"{method} {route_template} is not in the OpenAPI document"
    answer = operation["responses"].get(str(status))
    assert answer is not None, f"{method} {route_template} answered {status}, which the document does not list"
    schema = answer.get("content", {}).get("application/json", {}).get("schema")
    if schema is not None:
        assert mimetype == "application/json", f"{method} {route_template} {status} should answer JSON"
        jsonschema.Draft202012Validator(_inline(schema)).validate(json.loads(body))
