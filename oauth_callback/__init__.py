"""GET /api/oauth/{provider}/callback: the provider's redirect after consent (anonymous)."""

import azure.functions as func

from shared.http_api import ALL_METHODS

bp = func.Blueprint()


@bp.function_name("oauth_callback")
@bp.route(route="oauth/{provider}/callback", methods=ALL_METHODS, auth_level=func.AuthLevel.ANONYMOUS)
def oauth_callback(req: func.HttpRequest) -> func.HttpResponse:
    """Complete the connection and redirect back to the frontend."""
    from shared.api.oauth_routes import callback

    return callback(req)
