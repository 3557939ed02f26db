"""Provider push notifications: `/api/webhooks/{provider}` (handshakes and signed notifications)."""

import azure.functions as func

from shared.http_api import ALL_METHODS

bp = func.Blueprint()


@bp.function_name("webhooks")
@bp.route(route="webhooks/{provider}", methods=ALL_METHODS, auth_level=func.AuthLevel.ANONYMOUS)
def webhooks(req: func.HttpRequest) -> func.HttpResponse:
    """GET, POST /api/webhooks/{provider}."""
    from shared.api.webhook_routes import webhook

    return webhook(req)
