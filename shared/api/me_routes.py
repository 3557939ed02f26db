"""Handler of DELETE /api/me: erase the signed-in user's data."""

from __future__ import annotations

import azure.functions as func

from shared.http_api import dispatch, json_response


def _erase(req: func.HttpRequest) -> func.HttpResponse:
    from shared.auth import authenticate
    from shared.clock import utc_now
    from shared.config import get_settings
    from shared.crypto import get_keyring
    from shared.db import get_database
    from shared.erasure import erase_user

    user_id = authenticate(req.headers)
    return json_response(200, erase_user(get_database(), get_settings(), get_keyring(), user_id=user_id,
                                         now=utc_now()))


def erase(req: func.HttpRequest) -> func.HttpResponse:
    """DELETE: revoke every grant and delete the user's connections, cursors, states and pending links."""
    return dispatch(req, {"DELETE": _erase})
