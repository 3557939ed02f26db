"""Google Health API identity: `GET /googlehealth/v4/users/me/identity` (docs/providers/fitbit.md 2.1)."""

from __future__ import annotations

from devtools.sandbox.providers.fitbit.access import require_health_token
from devtools.sandbox.providers.fitbit.accounts import account_of
from devtools.sandbox.providers.fitbit.scopes import IDENTITY_SCOPES
from devtools.sandbox.web import Request, Response, json_response


def identity(req: Request) -> Response:
    """Answer the user's Google Health ids."""
    info = require_health_token(req, IDENTITY_SCOPES,
                                "google.devicesandservices.health.v4.HealthUserService.GetIdentity")
    if isinstance(info, Response):
        return info
    account = account_of(info.grant.user)
    assert account is not None  # grants are only issued to sandbox users
    return json_response(200, {"name": "users/me/identity", "healthUserId": account.health_user_id,
                               "legacyUserId": account.legacy_user_id})
