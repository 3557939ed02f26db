"""The project's Google Health API subscriber (docs/providers/fitbit.md 6.1).

`v4/projects/{projectNumber}/subscribers`, called with a Google Cloud access token of the project
(`cloud-platform`; `gcloud auth print-access-token`): repair creates the subscriber
(`?subscriberId=`) or, when it exists, patches its endpoint, secret and configs; the config asks for
every data type we read that Google notifies, with the AUTOMATIC policy (no per-user subscriptions).
Google verifies the endpoint during both calls (the handshake in `webhook.py`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from shared.errors import RequestError
from shared.http.session import bearer, request_json
from shared.providers.fitbit.webhook import WEBHOOK_DATA_TYPES
from shared.webhooks.manage import Registration, RepairReport, endpoint_url

if TYPE_CHECKING:
    from shared.config import Settings


def data_types() -> list[str]:
    """Return the data types we read that Google notifies (kebab-case)."""
    from shared.providers.fitbit.streams import STREAMS

    return sorted({tag for stream in STREAMS for tag in stream.tags} & WEBHOOK_DATA_TYPES)


def _context(settings: Settings, access_token: str | None) -> tuple[str, dict[str, str], dict[str, Any], str]:
    from shared.providers.fitbit.provider import FITBIT

    own = FITBIT.settings_of(settings)
    project, secret = own.webhook.get("project_number"), own.webhook.get("authorization")
    if not project or not secret or not access_token:
        raise RequestError(503, "provider_not_configured", "FITBIT_WEBHOOK_PROJECT_NUMBER, FITBIT_WEBHOOK_AUTHORIZATION"
                                                           " and an access token (--access-token) are needed")
    body = {
        "endpointUri": endpoint_url(settings, "fitbit", own.webhook.get("endpoint_url")),
        "subscriberConfigs": [{"dataTypes": data_types(), "subscriptionCreatePolicy": "AUTOMATIC"}],
        "endpointAuthorization": {"secret": secret},
    }
    base = f"{own.endpoints.api_url.rstrip('/')}/v4/projects/{project}/subscribers"
    return base, dict(bearer(access_token)), body, own.webhook.get("subscriber_id") or "personicle-connect"


class GoogleHealthSubscriber:
    """The project's subscriber at the Google Health API."""

    renews = False  # a subscriber does not expire

    def list(self, settings: Settings, access_token: str | None) -> list[Registration]:
        """Return the project's subscribers (every page)."""
        base, headers, _, _ = _context(settings, access_token)
        found, page = [], None
        while True:
            body = request_json("fitbit", "GET", base, headers=headers,
                                params={"pageSize": 1000, **({"pageToken": page} if page else {})})
            for item in body.get("subscribers", []):
                configs = item.get("subscriberConfigs") or []
                types = sorted({t for config in configs for t in config.get("dataTypes", [])})
                found.append(Registration(str(item.get("name", "")).rsplit("/", 1)[-1], str(item.get("endpointUri")),
                                          f"{item.get('state')}: {', '.join(types)}"))
            page = body.get("nextPageToken")
            if not page:
                return found

    def repair(self, settings: Settings, access_token: str | None, now: datetime) -> RepairReport:
        """Create the subscriber, or update its endpoint, secret and data types."""
        base, headers, body, subscriber_id = _context(settings, access_token)
        report = RepairReport()
        if any(item.id == subscriber_id for item in self.list(settings, access_token)):
            request_json("fitbit", "PATCH", f"{base}/{subscriber_id}", headers=headers, json=body,
                         params={"updateMask": "endpointUri,endpointAuthorization,subscriberConfigs"})
            report.updated.append(subscriber_id)
        else:
            request_json("fitbit", "POST", base, headers=headers, json=body, params={"subscriberId": subscriber_id})
            report.created.append(subscriber_id)
        return report


def registrar() -> GoogleHealthSubscriber:
    """Return the registrar (imported on first use)."""
    return GoogleHealthSubscriber()
