"""POST /api/oauth/{provider}/start: begin connecting a provider for the signed-in user."""

import azure.functions as func

from shared.http_api import ALL_METHODS

bp = func.Blueprint()


@bp.function_name("oauth_start")
@bp.route(route="oauth/{provider}/start", methods=ALL_METHODS, auth_level=func.AuthLevel.ANONYMOUS)
def oauth_start(req: func.HttpRequest) -> func.HttpResponse:
    """Answer the provider's authorization URL for the signed-in user."""
    from shared.api.oauth_routes import start

    return start(req)
