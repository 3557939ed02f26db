"""Google Health API identity: `GET /googlehealth/v4/users/me/identity` (providers/google-health-api.md 2.1)."""

from __future__ import annotations

from devtools.sandbox.google_api import fault_body, not_found, require_health_token
from devtools.sandbox.scopes import GOOGLE_HEALTH_IDENTITY_SCOPES
from devtools.sandbox.users import find_user
from devtools.sandbox.web import Request, Response, Router, json_response

PREFIX = "/googlehealth"


def identity(req: Request) -> Response:
    """Answer the user's Google Health ids."""
    info = require_health_token(req, GOOGLE_HEALTH_IDENTITY_SCOPES,
                                "google.devicesandservices.health.v4.HealthUserService.GetIdentity")
    if isinstance(info, Response):
        return info
    user = find_user(info.grant.user)
    assert user is not None  # grants are only issued to demo users
    return json_response(200, {"name": "users/me/identity", "healthUserId": user.health_user_id,
                               "legacyUserId": user.legacy_user_id})


def register(router: Router) -> None:
    """Add the identity route and Google's HTML 404 for unknown Google Health and Google Fit paths."""
    router.add("GET", f"{PREFIX}/v4/users/me/identity", identity, name="googlehealth.identity",
               fault_body=fault_body)
    router.add_not_found(PREFIX, not_found)
    router.add_not_found("/googlefit", not_found)
