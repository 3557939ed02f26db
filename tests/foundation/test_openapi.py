"""The OpenAPI document: valid OpenAPI 3.1, served, and covering every HTTP function of the app."""

from __future__ import annotations

import json

import azure.functions as func
from openapi_spec_validator import validate

from devtools.localhost.index import app_functions
from function_app import app
from shared.api.openapi import openapi_document
from shared.providers import PROVIDERS
from tests.api_contract import check_answer


def test_the_document_is_valid_openapi_3_1():
    document = openapi_document()
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert document["components"]["schemas"]["Provider"]["enum"] == sorted(PROVIDERS)


def test_every_http_function_and_method_is_documented():
    documented = openapi_document()["paths"]
    for function in app_functions(app):
        for binding in function.get_bindings_dict()["bindings"]:
            if binding["type"] != "httpTrigger":
                continue
            path = "/api/" + binding["route"]
            assert path in documented, f"{function.get_function_name()}: {path} is not documented"
            # Routes bound to every method answer 405 for the ones they do not serve (documented per operation).
            methods = {str(getattr(m, "value", m)).lower() for m in binding["methods"]}
            assert set(documented[path]) and set(documented[path]) <= methods, (path, methods)


def test_the_document_is_served_as_it_describes_itself():
    handler = next(f.get_user_function() for f in app_functions(app) if f.get_function_name() == "openapi")
    answer = handler(func.HttpRequest(method="GET", url="http://h/api/openapi.json", body=b""))
    check_answer("/api/openapi.json", "GET", answer.status_code, answer.get_body(), answer.mimetype)
    assert json.loads(answer.get_body()) == json.loads(json.dumps(openapi_document()))


def test_an_undocumented_answer_is_caught():
    try:
        check_answer("/api/connections", "GET", 418, b"{}", "application/json")
    except AssertionError as error:
        assert "418" in str(error)
    else:
        raise AssertionError("an undocumented status passed the check")
