"""Oura webhook subscriptions: one per data type we read and event type (docs/providers/oura.md 7).

App-level API authenticated by `x-client-id` and `x-client-secret`: list `GET /v2/webhook/subscription`,
create `POST` (Oura verifies the callback with the handshake before answering), renew
`PUT /v2/webhook/subscription/renew/{id}`. Repair creates what is missing for our callback URL and
renews what expires within 14 days; a renewal refused as unknown (403 or 404) creates it again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from shared.errors import ProviderRejected, RequestError, ScopeMissing
from shared.http.session import request_json
from shared.providers.oura.webhook import DATA_TYPES, EVENT_TYPES
from shared.webhooks.manage import Registration, RepairReport, endpoint_url

if TYPE_CHECKING:
    from shared.config import Settings

RENEW_WITHIN = timedelta(days=14)
PATH = "/v2/webhook/subscription"


def _context(settings: Settings) -> tuple[str, dict[str, str], str, str]:
    from shared.providers.oura.provider import OURA

    own = OURA.settings_of(settings)
    token = own.webhook.get("verification_token")
    if not own.client_id or not own.client_secret or not token:
        raise RequestError(503, "provider_not_configured",
                           "OURA_CLIENT_ID, OURA_CLIENT_SECRET and OURA_WEBHOOK_VERIFICATION_TOKEN are needed")
    headers = {"x-client-id": own.client_id, "x-client-secret": own.client_secret}
    return own.endpoints.api_url.rstrip("/") + PATH, headers, token, endpoint_url(
        settings, "oura", own.webhook.get("callback_url"))


def _registration(item: dict[str, Any]) -> Registration:
    expires = item.get("expiration_time")
    return Registration(str(item.get("id")), str(item.get("callback_url")),
                        f"{item.get('data_type')}/{item.get('event_type')}",
                        datetime.fromisoformat(expires.replace("Z", "+00:00")) if expires else None)


class OuraSubscriptions:
    """Oura's webhook subscriptions for our callback URL."""

    renews = True

    def list(self, settings: Settings, access_token: str | None = None) -> list[Registration]:
        """Return every subscription of our Oura application."""
        url, headers, _, _ = _context(settings)
        body = request_json("oura", "GET", url, headers=headers)
        return [_registration(item) for item in body if isinstance(item, dict)]

    def repair(self, settings: Settings, access_token: str | None, now: datetime) -> RepairReport:
        """Create the missing subscriptions and renew those expiring within 14 days."""
        url, headers, token, callback = _context(settings)
        report = RepairReport()
        ours = {item.detail: item for item in self.list(settings) if item.target == callback}
        for data_type in DATA_TYPES:
            for event_type in EVENT_TYPES:
                found = ours.get(f"{data_type}/{event_type}")
                if found is None:
                    created = request_json("oura", "POST", url, headers=headers, json={
                        "callback_url": callback, "verification_token": token,
                        "event_type": event_type, "data_type": data_type})
                    report.created.append(str(created.get("id")))
                elif found.expires_at is None or found.expires_at - now <= RENEW_WITHIN:
                    try:
                        request_json("oura", "PUT", f"{url}/renew/{found.id}", headers=headers)
                        report.renewed.append(found.id)
                    except (ProviderRejected, ScopeMissing) as error:
                        if error.status not in (403, 404):
                            raise
                        created = request_json("oura", "POST", url, headers=headers, json={
                            "callback_url": callback, "verification_token": token,
                            "event_type": event_type, "data_type": data_type})
                        report.created.append(str(created.get("id")))
                else:
                    report.kept += 1
        return report


def registrar() -> OuraSubscriptions:
    """Return the registrar (imported on first use)."""
    return OuraSubscriptions()
