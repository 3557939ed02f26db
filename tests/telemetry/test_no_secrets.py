"""After a connect, a refresh and a download, no token and no health value is in any span or metric attribute."""

from __future__ import annotations

from datetime import timedelta

from shared.jobs import DownloadJob
from shared.store import connections as connection_store
from shared.telemetry.metered_sink import MeteredSink
from tests.sync.support import NOW, Harness, connect_account, pin_sandbox_clock

ALLOWED_KEYS = {"personicle.provider", "http.request.method", "url.full", "http.response.status_code",
                "provider", "status_class", "stream", "kind", "outcome", "queue", "personicle.connection_id",
                "personicle.job.reason", "faas.invocation_id", "faas.trigger", "personicle.timer",
                "window_seconds"}


def _all_attributes(spans, points) -> list[dict]:
    found = [dict(span.attributes) for span in spans.get_finished_spans()]
    for readings in points().values():
        found.extend(attributes for attributes, _ in readings)
    return found


def test_telemetry_of_a_real_download_holds_no_token_and_no_health_value(telemetry, sandbox, database, tmp_path):
    from shared.crypto import get_keyring
    from shared.providers import PROVIDERS

    spans, points = telemetry
    pin_sandbox_clock(sandbox, "oura")
    account = connect_account(sandbox, "oura")
    harness = Harness(tmp_path / "run", backfill_days=3)
    harness.sink = MeteredSink(harness.sink, {p.source: p.name for p in PROVIDERS.values()})
    with database.transaction() as cursor:
        before = connection_store.load_tokens(cursor, get_keyring(), account)
    with database.transaction() as cursor:  # expire the access token at the harness's clock: the job refreshes it
        cursor.execute("UPDATE connections SET access_token_expires_at = %s WHERE id = %s",
                       (NOW - timedelta(hours=1), str(account)))
    outcome = harness.run(DownloadJob(account, "oura", "backfill"))
    assert outcome.records_sent > 0
    with database.transaction() as cursor:
        tokens = connection_store.load_tokens(cursor, get_keyring(), account)
    secrets = {tokens.access_token, tokens.refresh_token, before.access_token, before.refresh_token}
    attributes = _all_attributes(spans, points)
    names = {span.name for span in spans.get_finished_spans()}
    assert {"provider call", "token refresh"} <= names
    counted = {(a["stream"], a["kind"]) for a, _ in points()["personicle.records.sent"] if a["provider"] == "oura"}
    assert ("com.personicle.individual.datastreams.heartrate", "datastream") in counted
    text = repr(attributes)
    assert not [secret for secret in secrets if secret and secret in text]
    # Only these attributes exist, and none of them can carry a measured value: names, methods,
    # scrubbed URLs, status codes and ids.
    keys = set().union(*attributes)
    assert keys <= ALLOWED_KEYS, keys - ALLOWED_KEYS
    assert all("?" not in a["url.full"] for a in attributes if "url.full" in a)
