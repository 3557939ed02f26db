"""GET /api/operator/status (function key): connections, sync lag and poison messages per provider.

Not under `/api/admin/`: the Functions host refuses function routes that start with `admin`
(they would collide with its own admin API when the route prefix is empty).
"""

import azure.functions as func

bp = func.Blueprint()


@bp.function_name("operator_status")
@bp.route(route="operator/status", methods=["GET"], auth_level=func.AuthLevel.FUNCTION)
def operator_status(req: func.HttpRequest) -> func.HttpResponse:
    """Answer the operational figures of every provider (counts and seconds only)."""
    from shared.api.operator_routes import status

    return status(req)
