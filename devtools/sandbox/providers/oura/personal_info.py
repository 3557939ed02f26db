"""Oura identity: `GET /oura/v2/usercollection/personal_info` (docs/providers/oura.md 4.1).

`id` needs no scope; age, weight, height and biological_sex need `personal`; email needs `email`.
"""

from __future__ import annotations

from typing import Any

from devtools.sandbox.providers.oura.accounts import oura_user_id
from devtools.sandbox.providers.oura.errors import require_oura_token
from devtools.sandbox.users import find_user
from devtools.sandbox.web import Request, Response, json_response


def personal_info(req: Request) -> Response:
    """Answer the bare personal_info object (no envelope)."""
    info = require_oura_token(req)
    if isinstance(info, Response):
        return info
    user = find_user(info.grant.user)
    assert user is not None  # grants are only issued to sandbox users
    body: dict[str, Any] = {"id": oura_user_id(user.name)}
    if "personal" in info.grant.scopes:
        body.update(age=user.age, weight=user.weight_kg, height=user.height_m, biological_sex=user.biological_sex)
    if "email" in info.grant.scopes:
        body["email"] = user.email
    return json_response(200, body)
