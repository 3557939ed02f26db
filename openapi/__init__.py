"""GET /api/openapi.json: the OpenAPI 3.1 document of the app's HTTP API."""

import azure.functions as func

bp = func.Blueprint()


@bp.function_name("openapi")
@bp.route(route="openapi.json", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
def openapi(req: func.HttpRequest) -> func.HttpResponse:
    """Answer the document."""
    from shared.api.openapi import openapi_document
    from shared.http_api import json_response

    return json_response(200, openapi_document())
