"""The signed-in user's connections: list, disconnect, sync now."""

import azure.functions as func

from shared.http_api import ALL_METHODS

bp = func.Blueprint()


@bp.function_name("connections_list")
@bp.route(route="connections", methods=ALL_METHODS, auth_level=func.AuthLevel.ANONYMOUS)
def connections_list(req: func.HttpRequest) -> func.HttpResponse:
    """GET /api/connections."""
    from shared.api.connection_routes import list_connections

    return list_connections(req)


@bp.function_name("connections_item")
@bp.route(route="connections/{provider}", methods=ALL_METHODS, auth_level=func.AuthLevel.ANONYMOUS)
def connections_item(req: func.HttpRequest) -> func.HttpResponse:
    """DELETE /api/connections/{provider}."""
    from shared.api.connection_routes import disconnect

    return disconnect(req)


@bp.function_name("connections_sync")
@bp.route(route="connections/{provider}/sync", methods=ALL_METHODS, auth_level=func.AuthLevel.ANONYMOUS)
def connections_sync(req: func.HttpRequest) -> func.HttpResponse:
    """POST /api/connections/{provider}/sync."""
    from shared.api.connection_routes import sync_now

    return sync_now(req)
