"""Handler of `/api/webhooks/{provider}`: handshakes, then verify, record, queue and answer at once."""

from __future__ import annotations

import logging

import azure.functions as func

from shared.http_api import error_response, json_response

log = logging.getLogger(__name__)


def _inbound(req: func.HttpRequest):  # -> Inbound
    from shared.webhooks.receiver import Inbound

    return Inbound(req.method.upper(), {name.lower(): value for name, value in req.headers.items()},
                   dict(req.params), req.get_body() or b"")


def _answer(reply) -> func.HttpResponse:  # reply: Reply
    if reply.body is None:
        return func.HttpResponse(status_code=reply.status, headers={"Cache-Control": "no-store"})
    return json_response(reply.status, reply.body)


def webhook(req: func.HttpRequest) -> func.HttpResponse:
    """GET, HEAD, POST /api/webhooks/{provider}: the provider's handshake or a notification."""
    from shared.clock import utc_now
    from shared.config import get_settings
    from shared.db import get_database
    from shared.jobs import enqueue_job
    from shared.providers import PROVIDERS
    from shared.webhooks.accept import accept
    from shared.telemetry.signals import count_webhook_notification
    from shared.webhooks.receiver import WebhookRefused

    provider = PROVIDERS.get(req.route_params.get("provider", ""))
    if provider is None or provider.webhook is None:
        return error_response(404, "unknown_provider", "no webhook for this provider")
    if req.method.upper() not in ("GET", "HEAD", "POST"):
        return error_response(405, "method_not_allowed", "use GET, HEAD, POST", {"Allow": "GET, HEAD, POST"})
    receiver = provider.webhook.receiver()
    settings, request, now = provider.settings_of(get_settings()), _inbound(req), utc_now()
    try:
        handshake = receiver.handshake(request, settings)
        if handshake is not None:
            return _answer(handshake)
        verified = receiver.verify(request, settings, now)
    except WebhookRefused as refused:
        log.warning("%s webhook refused: %s", provider.name, refused.code)
        count_webhook_notification(provider.name, f"refused:{refused.code}")
        return error_response(refused.status, refused.code, str(refused))
    with get_database().transaction() as cursor:
        result = accept(cursor, provider, verified, enqueue=enqueue_job, now=now)
    if result.replayed:
        count_webhook_notification(provider.name, "replayed")
        log.warning("%s webhook: a notification already acted on came again; ignored", provider.name)
        if receiver.replay_status >= 400:
            return error_response(receiver.replay_status, "replayed_notification",
                                  "this notification was already received")
        return func.HttpResponse(status_code=receiver.replay_status)
    count_webhook_notification(provider.name, "queued" if result.jobs else "accepted", len(verified.notifications))
    log.info("%s webhook: %d notifications, %d windows, %d jobs queued, %d dropped", provider.name,
             len(verified.notifications), result.windows, len(result.jobs), result.dropped)
    return _answer(_ack(receiver))


def _ack(receiver):  # -> Reply
    from shared.webhooks.receiver import Reply

    return Reply(receiver.ack_status, {"status": "accepted"} if receiver.ack_status != 204 else None)
