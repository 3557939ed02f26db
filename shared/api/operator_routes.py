"""The operator's status endpoint: figures for dashboards and on-call checks, never user data."""

from __future__ import annotations

import azure.functions as func

from shared.http_api import dispatch, json_response


def status(req: func.HttpRequest) -> func.HttpResponse:
    """GET: connections by provider and status, lag percentiles, poison queue depths."""

    def get(_: func.HttpRequest) -> func.HttpResponse:
        from shared.clock import utc_now
        from shared.db import get_database
        from shared.operations import as_json, operational_status, record_gauges
        from shared.queues import get_queue_sender

        report = operational_status(get_database(), get_queue_sender().depth, now=utc_now())
        record_gauges(report)
        return json_response(200, as_json(report))

    return dispatch(req, {"GET": get})
