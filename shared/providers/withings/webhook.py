"""Withings notifications: unsigned form POSTs, authenticated by a secret in our callback URL (withings.md 8).

Withings signs nothing (8.6), so the callback URL it is given carries a per-deployment secret
(`?secret=<WITHINGS_WEBHOOK_SECRET>`), compared in constant time on every request: the HEAD check
Withings makes before a subscription (8.2) is answered 200 only with it, and a notification without
it is refused (401) before anything is read. The body is form-encoded: `userid`, `appli` (the
category), and `startdate`/`enddate` (epoch seconds) or `date` (a local day, or an epoch time) (8.5); unknown fields
are ignored. Each category feeds the streams tagged with the actions that read it (8.4); categories
we do not read (user events, bed in and out, ECG) are acknowledged and ignored. Withings retries
the same body (8.7): the body is what the replay guard remembers, and a replay is acknowledged.
"""

from __future__ import annotations

import hmac
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs

from shared.clock import UTC
from shared.providers.base import ProviderSettings
from shared.webhooks.receiver import Inbound, Notification, Reply, Verified, WebhookRefused

SECRET_PARAM = "secret"
MAX_SPAN = timedelta(days=31)
DAY = timedelta(days=1)
# Category (`appli`) -> the stream tags (actions) that read what it announces (8.4).
ACTIONS_OF = {1: ("getmeas",), 2: ("getmeas",), 4: ("getmeas",), 16: ("getactivity", "getworkouts"),
              44: ("getsummary", "get")}
# Daily rows are kept by the start of their local day: a day each side covers the wearer's zone.
DAILY = frozenset({16})


def secret_matches(request: Inbound, settings: ProviderSettings) -> bool:
    """Tell whether the request's URL carries the configured secret (False when none is configured)."""
    expected = settings.webhook.get("secret")
    given = request.params.get(SECRET_PARAM, "")
    return bool(expected and given) and hmac.compare_digest(given.encode(), expected.encode())


class WithingsWebhook:
    """Withings' notification receiver."""

    ack_status = 200
    replay_status = 200  # Withings retries on 400 and above, and cancels a failing subscription

    def handshake(self, request: Inbound, settings: ProviderSettings) -> Reply | None:
        """Answer Withings' HEAD check (and a GET) with 200 when the URL carries our secret, else 401."""
        if request.method == "POST":
            return None
        if not secret_matches(request, settings):
            raise WebhookRefused(401, "bad_secret", "the callback secret does not match")
        return Reply(200, None)

    def verify(self, request: Inbound, settings: ProviderSettings, now: datetime) -> Verified:
        """Check the secret, then read the notification."""
        if not secret_matches(request, settings):
            raise WebhookRefused(401, "bad_secret", "the callback secret does not match")
        return Verified(notifications(request.body), b"body:" + request.body)


def notifications(body: bytes) -> tuple[Notification, ...]:
    """Return the notifications of a form body, one per stream tag its category feeds.

    Raises:
        WebhookRefused: 400 when `userid`, `appli` or the times are missing or malformed.
    """
    try:
        form = {name: values[0] for name, values in parse_qs(body.decode("utf-8"), strict_parsing=False).items()}
    except UnicodeDecodeError:
        raise WebhookRefused(400, "malformed_notification", "the notification is not a form") from None
    user, appli = form.get("userid", ""), form.get("appli", "")
    if not user.isdigit() or not appli.isdigit():
        raise WebhookRefused(400, "malformed_notification", "the notification has no userid or appli")
    actions = ACTIONS_OF.get(int(appli))
    if actions is None:
        return ()
    window = _window(form, int(appli) in DAILY)
    return tuple(Notification(user, action, "upsert", (window,)) for action in actions)


def _window(form: dict[str, str], daily: bool) -> tuple[datetime, datetime]:
    """Return the notified range as [start, end), refused when missing, reversed or longer than 31 days."""
    try:
        if "startdate" in form and "enddate" in form:
            start = datetime.fromtimestamp(int(form["startdate"]), UTC)
            end = datetime.fromtimestamp(int(form["enddate"]), UTC) + timedelta(seconds=1)
            if daily:
                start, end = start - DAY, end + DAY
        elif "date" in form:
            text = form["date"]  # a local day, or an epoch time on some pages (8.5)
            day = datetime.fromtimestamp(int(text), UTC).date() if text.isdigit() else date.fromisoformat(text)
            start = datetime(day.year, day.month, day.day, tzinfo=UTC) - DAY
            end = start + 3 * DAY
        else:
            raise ValueError("no times")
    except (ValueError, OverflowError, OSError):
        raise WebhookRefused(400, "malformed_notification", "the notification has no readable startdate, enddate"
                             " or date") from None
    if end <= start or end - start > MAX_SPAN + 2 * DAY:
        raise WebhookRefused(400, "malformed_notification", "the notified range is reversed or longer than 31 days")
    return start, end


def receiver() -> WithingsWebhook:
    """Return the receiver (imported on first use)."""
    return WithingsWebhook()
