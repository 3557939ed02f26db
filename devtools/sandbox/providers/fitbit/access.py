"""The Google Health API's checks of a call: token, disallowed scopes, scopes, account state.

They run in the order the reference gives (docs/providers/fitbit.md 9.2); data routes call
`require_health_token` first.
"""

from __future__ import annotations

from collections.abc import Iterable

from devtools.sandbox.google.api import HEALTH_DOMAIN, authenticate, google_error, insufficient_scopes
from devtools.sandbox.google.scopes import CLOUD_PLATFORM
from devtools.sandbox.oauth.grants import TokenInfo
from devtools.sandbox.providers.fitbit.accounts import account_of
from devtools.sandbox.web import Request, Response


def require_health_token(req: Request, accepted_scopes: Iterable[str], method: str) -> TokenInfo | Response:
    """Check a Google Health API call: token, scopes, account state.

    Args:
        req: the request.
        accepted_scopes: scopes of which the token needs at least one.
        method: RPC method name for error metadata, e.g. `google.devicesandservices.health.v4.Users.GetIdentity`.

    Returns:
        The token's info, or the error response to send.
    """
    info = authenticate(req)
    if isinstance(info, Response):
        return info
    scopes = set(info.grant.scopes)
    if CLOUD_PLATFORM in scopes:
        return google_error(403, "The caller's OAuth token carries scopes this API does not allow.",
                            reason="DISALLOWED_OAUTH_SCOPES", metadata={"disallowed_scopes": "cloud_platform"})
    if not scopes & set(accepted_scopes):
        return insufficient_scopes(HEALTH_DOMAIN, method)
    account = account_of(info.grant.user)
    if account is not None and not account.google_health_linked:
        return google_error(400, "The account is not linked to Google Health.", status_name="FAILED_PRECONDITION",
                            reason="ACCOUNT_NOT_LINKED",
                            metadata={"redirect_uri": "https://fitbit.google.com/auth/signup"})
    return info
