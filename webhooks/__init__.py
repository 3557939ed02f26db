"""Provider push notifications: `/api/webhooks/{provider}` (handshakes and signed notifications)."""

import azure.functions as func

from shared.http_api import ALL_METHODS

bp = func.Blueprint()


@bp.function_name("webhooks")
# HEAD: Withings checks the callback with one before it subscribes (docs/providers/withings.md 8).
@bp.route(route="webhooks/{provider}", methods=[*ALL_METHODS, "HEAD"], auth_level=func.AuthLevel.ANONYMOUS)
def webhooks(req: func.HttpRequest) -> func.HttpResponse:
    """GET, HEAD, POST /api/webhooks/{provider}."""
    from shared.api.webhook_routes import webhook

    return webhook(req)
