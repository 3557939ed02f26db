"""Withings notifications over real HTTP: subscriptions at confirmation (HEAD check), a new day into
the sink, the callback secret, replays, and revocation at disconnect (docs/providers/withings.md 8)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests

from devtools.sandbox.providers.withings.accounts import WITHINGS_USER_IDS
from shared.config import get_settings
from tests.conftest import API
from tests.sync.support import connect_account, pin_sandbox_clock
from tests.webhooks import support
from tests.webhooks.support import SANDBOX, clear, drain, pending_windows, queued_jobs

SECRET = "sandbox-withings-webhook-secret"
CATEGORIES = [1, 2, 4, 16, 44]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _subscriptions(user: str = "bob") -> list[dict]:
    listed = requests.get(f"{SANDBOX}/_sandbox/withings/subscriptions", timeout=10).json()["subscriptions"]
    return [item for item in listed if item["user"] == user]


def _notify(body: str, secret: str | None = SECRET) -> requests.Response:
    params = {"secret": secret} if secret is not None else {}
    return requests.post(f"{API}/webhooks/withings", params=params, data=body.encode(), headers=FORM, timeout=10)


def _weight_note(start: int = 1790000000) -> str:
    return f"userid={WITHINGS_USER_IDS['bob']}&appli=1&startdate={start}&enddate={start + 60}"


def test_confirming_a_connection_subscribes_its_categories_after_the_head_check(sandbox, app_host, webhook_tables):
    sandbox.state.counters.clear()
    connect_account(sandbox, "withings")
    found = _subscriptions()
    assert sorted(item["appli"] for item in found) == CATEGORIES
    url = urlsplit(found[0]["callbackurl"])
    assert url.geturl().startswith(f"{get_settings().public_base_url}/api/webhooks/withings?")
    assert parse_qs(url.query) == {"secret": [SECRET]}
    assert sandbox.state.counters.snapshot().get("withings.notify:subscribe") == len(CATEGORIES)
    head = requests.head(f"{API}/webhooks/withings", params={"secret": SECRET}, timeout=10)
    assert head.status_code == 200
    assert requests.head(f"{API}/webhooks/withings", params={"secret": "guess"}, timeout=10).status_code == 401


def test_a_new_day_reaches_the_sink_through_notifications(sandbox, app_host, webhook_tables):
    pin_sandbox_clock(sandbox, "withings")
    connect_account(sandbox, "withings")
    clear("withings")
    before = support.sink_mark()
    answer = requests.post(f"{SANDBOX}/_sandbox/withings/new-day", json={"user": "bob"}, timeout=60).json()
    assert answer["answers"] == {"200": len(CATEGORIES)}
    jobs = queued_jobs("withings")
    assert {job["reason"] for job in jobs} == {"webhook"}
    assert sorted(job["streams"][0] for job in jobs) == ["activity", "measures", "sleep", "sleep_series",
                                                         "workouts"]
    assert drain(app_host, "withings") >= 1
    day = answer["day_start"][:10]
    new = [line for line in support.sink_lines_since(before) if line["partition_key"] == "bob"]
    assert any(moment.startswith(day) for line in new for moment in support.record_times(line))
    assert pending_windows() == []


def test_a_wrong_or_missing_secret_is_refused_and_queues_nothing(sandbox, app_host, webhook_tables):
    connect_account(sandbox, "withings")
    clear("withings")
    for secret in ("guess", "", None, SECRET[:-1]):
        assert _notify(_weight_note(), secret).status_code == 401, secret
    assert queued_jobs("withings") == [] and pending_windows() == []


def test_a_repeated_body_is_acknowledged_and_not_acted_on_again(sandbox, app_host, webhook_tables):
    connect_account(sandbox, "withings")
    clear("withings")
    assert _notify(_weight_note()).status_code == 200
    assert [job["streams"] for job in queued_jobs("withings")] == [["measures"]]
    drain(app_host, "withings")
    clear("withings")
    assert _notify(_weight_note()).status_code == 200  # Withings' retry of the same notification
    assert queued_jobs("withings") == [] and pending_windows() == []
    assert _notify(_weight_note(1790000600)).status_code == 200  # another change is acted on
    assert [job["streams"] for job in queued_jobs("withings")] == [["measures"]]


def test_malformed_and_unknown_notifications(sandbox, app_host, webhook_tables):
    connect_account(sandbox, "withings")
    clear("withings")
    assert _notify("userid=1&appli=1").status_code == 400
    assert _notify(f"userid={WITHINGS_USER_IDS['bob']}&appli=46&action=update").status_code == 200
    assert _notify("userid=999&appli=1&startdate=1790000000&enddate=1790000060").status_code == 200  # unknown user
    assert queued_jobs("withings") == [] and pending_windows() == []


def test_disconnecting_revokes_the_subscriptions_before_the_grant(sandbox, app_host, webhook_tables):
    connect_account(sandbox, "withings")
    assert len(_subscriptions()) == len(CATEGORIES)
    sandbox.state.counters.clear()
    token = sandbox.state.oidc.mint("bob")
    answer = requests.delete(f"{API}/connections/withings", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert answer.status_code == 200 and answer.json()["revocation"] == "revoked"
    counters = sandbox.state.counters.snapshot()
    assert counters.get("withings.notify:revoke") == len(CATEGORIES)
    assert _subscriptions() == []
    clear("withings")
    assert _notify(_weight_note()).status_code == 200  # a late notification of the revoked connection
    assert queued_jobs("withings") == []
