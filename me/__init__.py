"""The signed-in user: erase everything stored for them."""

import azure.functions as func

from shared.http_api import ALL_METHODS

bp = func.Blueprint()


@bp.function_name("me_erase")
@bp.route(route="me", methods=ALL_METHODS, auth_level=func.AuthLevel.ANONYMOUS)
def me_erase(req: func.HttpRequest) -> func.HttpResponse:
    """DELETE /api/me."""
    from shared.api.me_routes import erase

    return erase(req)
