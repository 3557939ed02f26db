"""Provider push notifications: `/api/webhooks/{provider}` (handshakes and signed notifications)."""

import azure.functions as func

from shared.http_api import ALL_METHODS

bp = func.Blueprint()


@bp.function_name("webhooks")
# HEAD: some providers check the callback URL with one before they subscribe it.
@bp.route(route="webhooks/{provider}", methods=[*ALL_METHODS, "HEAD"], auth_level=func.AuthLevel.ANONYMOUS)
def webhooks(req: func.HttpRequest) -> func.HttpResponse:
    """GET, HEAD, POST /api/webhooks/{provider}."""
    from shared.api.webhook_routes import webhook

    return webhook(req)
