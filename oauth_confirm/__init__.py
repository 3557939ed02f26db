"""POST /api/oauth/{provider}/confirm: the user who started the flow confirms the pending link."""

import azure.functions as func

from shared.http_api import ALL_METHODS

bp = func.Blueprint()


@bp.function_name("oauth_confirm")
@bp.route(route="oauth/{provider}/confirm", methods=ALL_METHODS, auth_level=func.AuthLevel.ANONYMOUS)
def oauth_confirm(req: func.HttpRequest) -> func.HttpResponse:
    """Make the pending link the signed-in user's connection."""
    from shared.api.oauth_routes import confirm

    return confirm(req)
