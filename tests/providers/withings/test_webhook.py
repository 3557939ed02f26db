"""Withings' notification receiver and callback URL without services (docs/providers/withings.md 8)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from shared.clock import UTC
from shared.providers.base import Endpoints, ProviderSettings
from shared.providers.withings.notify import same_url, wanted_categories
from shared.providers.withings.webhook import WithingsWebhook
from shared.webhooks.receiver import Inbound, WebhookRefused

NOW = datetime(2026, 10, 1, 12, tzinfo=UTC)
SETTINGS = ProviderSettings("id", "secret", Endpoints("https://a", "https://t", None, "https://api"),
                            webhook={"secret": "s3cret"})
START, END = 1733212800, 1733216400


def _post(body: bytes, secret: str | None = "s3cret") -> Inbound:
    return Inbound("POST", {"content-type": "application/x-www-form-urlencoded"},
                   {"secret": secret} if secret is not None else {}, body)


def test_a_weight_notification_reads_the_measures_over_its_range():
    body = f"userid=38191920&appli=1&startdate={START}&enddate={END}".encode()
    verified = WithingsWebhook().verify(_post(body), SETTINGS, NOW)
    [note] = verified.notifications
    start = datetime.fromtimestamp(START, UTC)
    assert (note.provider_user_id, note.data_type, note.operation) == ("38191920", "getmeas", "upsert")
    assert note.windows == ((start, datetime.fromtimestamp(END, UTC) + timedelta(seconds=1)),)
    assert verified.replay_key == b"body:" + body


def test_the_documented_example_with_an_unrelated_field_is_read():
    body = f"foo=bar&userid=38191920&appli=44&startdate={START}&enddate={END}&deviceid=abc".encode()
    notes = WithingsWebhook().verify(_post(body), SETTINGS, NOW).notifications
    assert [note.data_type for note in notes] == ["getsummary", "get"]


def test_an_activity_day_is_read_with_a_day_each_side():
    notes = WithingsWebhook().verify(_post(b"userid=7&appli=16&date=2026-09-30"), SETTINGS, NOW).notifications
    assert [note.data_type for note in notes] == ["getactivity", "getworkouts"]
    assert notes[0].windows == ((datetime(2026, 9, 29, tzinfo=UTC), datetime(2026, 10, 2, tzinfo=UTC)),)


def test_a_date_given_as_an_epoch_time_is_read_as_its_utc_day():
    epoch = int(datetime(2026, 9, 30, 8, tzinfo=UTC).timestamp())
    [note, _] = WithingsWebhook().verify(_post(f"userid=7&appli=16&date={epoch}".encode()), SETTINGS, NOW).notifications
    assert note.windows == ((datetime(2026, 9, 29, tzinfo=UTC), datetime(2026, 10, 2, tzinfo=UTC)),)


def test_categories_we_do_not_read_are_acknowledged_with_no_notification():
    assert WithingsWebhook().verify(_post(b"userid=7&appli=46&action=unlink"), SETTINGS, NOW).notifications == ()


@pytest.mark.parametrize(("request_", "status", "code"), [
    (_post(b"userid=7&appli=1&startdate=1&enddate=2", secret="guess"), 401, "bad_secret"),
    (_post(b"userid=7&appli=1&startdate=1&enddate=2", secret=None), 401, "bad_secret"),
    (_post(b"appli=1&startdate=1&enddate=2"), 400, "malformed_notification"),
    (_post(b"userid=7&appli=1"), 400, "malformed_notification"),
    (_post(b"userid=7&appli=1&startdate=10&enddate=2"), 400, "malformed_notification"),
    (_post(f"userid=7&appli=1&startdate={START - 40 * 86400}&enddate={START}".encode()), 400,
     "malformed_notification"),
    (_post(b"userid=7&appli=16&date=yesterday"), 400, "malformed_notification"),
    (_post(b"\xff\xfe"), 400, "malformed_notification"),
], ids=["wrong-secret", "no-secret", "no-userid", "no-times", "reversed", "over-31-days", "bad-date", "not-utf8"])
def test_refusals_name_their_reason(request_, status, code):
    with pytest.raises(WebhookRefused) as refused:
        WithingsWebhook().verify(request_, SETTINGS, NOW)
    assert (refused.value.status, refused.value.code) == (status, code)


def test_a_secret_is_refused_when_none_is_configured():
    unset = ProviderSettings("id", "secret", SETTINGS.endpoints)
    with pytest.raises(WebhookRefused):
        WithingsWebhook().verify(_post(b"userid=7&appli=1&startdate=1&enddate=2", secret=""), unset, NOW)


def test_the_head_check_is_answered_only_with_the_secret():
    receiver = WithingsWebhook()
    assert receiver.handshake(Inbound("HEAD", {}, {"secret": "s3cret"}, b""), SETTINGS).status == 200
    with pytest.raises(WebhookRefused) as refused:
        receiver.handshake(Inbound("HEAD", {}, {"secret": "s3cre"}, b""), SETTINGS)
    assert refused.value.status == 401
    assert receiver.handshake(_post(b""), SETTINGS) is None


def test_callback_urls_compare_as_withings_may_echo_them():
    ours = "https://App.example.org/api/webhooks/withings?secret=x&a=1"
    assert same_url(ours, "https://app.example.org/api/webhooks/withings/?a=1&secret=x")
    assert not same_url(ours, "https://app.example.org/api/webhooks/withings?secret=y&a=1")


def test_categories_follow_the_granted_scopes():
    assert wanted_categories(("user.info", "user.metrics")) == [1, 2, 4]
    assert wanted_categories(("user.activity",)) == [16, 44]
    assert wanted_categories(None) == [1, 2, 4, 16, 44]
