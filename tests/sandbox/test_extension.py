"""Routes added by another module: registration, token checks, counters, faults, literal-path priority."""

from __future__ import annotations

import types
from collections.abc import Iterator

import pytest
import requests

from devtools.sandbox import Fault, SandboxServer
from devtools.sandbox.providers.oura.errors import fault_body, require_oura_token
from devtools.sandbox.web import Request, Response, Router, json_response
from tests.sandbox.flows import oura_tokens


def collection(req: Request) -> Response:
    info = require_oura_token(req, "daily")
    if isinstance(info, Response):
        return info
    return json_response(200, {"data": [{"collection": req.params["collection"], "user": info.grant.user}],
                               "next_token": None})


def register(router: Router) -> None:
    router.add("GET", "/oura/v2/usercollection/{collection}", collection, name="oura.collection",
               fault_body=fault_body)


EXTENSION = types.ModuleType("oura_collections_fixture")
EXTENSION.register = register


@pytest.fixture(scope="module")
def extended() -> Iterator[SandboxServer]:
    server = SandboxServer(extra_modules=[EXTENSION])
    server.start()
    yield server
    server.stop()


def get(server: SandboxServer, path: str, token: str) -> requests.Response:
    return requests.get(f"{server.url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_added_route_answers_with_the_token_grant(extended):
    tokens = oura_tokens(extended.url, "bob", scope="daily")

    answer = get(extended, "/oura/v2/usercollection/daily_sleep", tokens["access_token"])

    assert answer.json() == {"data": [{"collection": "daily_sleep", "user": "bob"}], "next_token": None}
    assert extended.state.counters.get("oura.collection") == 1


def test_literal_route_wins_over_the_added_pattern(extended):
    tokens = oura_tokens(extended.url, "bob", scope="daily")

    answer = get(extended, "/oura/v2/usercollection/personal_info", tokens["access_token"])

    assert answer.json() == {"id": "8b97e1b67-144-5e9a8c067-e62331-968-b"}


def test_added_route_gets_scope_checks_and_faults(extended):
    tokens = oura_tokens(extended.url, "bob", scope="personal")
    extended.state.faults.add(Fault("oura.collection", status=429))

    limited = get(extended, "/oura/v2/usercollection/heartrate", tokens["access_token"])
    forbidden = get(extended, "/oura/v2/usercollection/heartrate", tokens["access_token"])

    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "37")
    assert forbidden.status_code == 403
