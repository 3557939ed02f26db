"""GET /api/health: are PostgreSQL and the storage queues reachable?"""

import azure.functions as func

bp = func.Blueprint()


@bp.function_name("health")
@bp.route(route="health", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
def health(req: func.HttpRequest) -> func.HttpResponse:
    """Answer 200 when every dependency is up, else 503 naming the ones that are down or the settings at fault."""
    from shared.config import SettingsError, get_settings
    from shared.health import check_health
    from shared.http_api import json_response

    try:
        get_settings()
    except SettingsError as error:
        return json_response(503, {"status": "misconfigured", "settings": error.setting_names})
    report = check_health()
    return json_response(200 if report.healthy else 503, report.as_json())
