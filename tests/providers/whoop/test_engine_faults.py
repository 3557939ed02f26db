"""A WHOOP backfill through the real engine against the sandbox, under WHOOP's own faults: the app-wide
rate limit with its seconds-to-reset header, an access token that expires mid-sync (one refresh that
rotates both tokens), a lapsed membership (every stream skipped), and records scored after the first read."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from devtools.sandbox.providers.whoop.knobs import whoop_state
from shared.jobs import DownloadJob
from tests.sync.support import NOW, Harness, connect_account, cursors, pin_sandbox_clock


@pytest.fixture
def account(sandbox, database):
    pin_sandbox_clock(sandbox, "whoop")
    return connect_account(sandbox, "whoop")


def _baseline(tmp_path, account):
    harness = Harness(tmp_path / "baseline", backfill_days=30, recent_days=30)
    outcomes = harness.run_to_completion(DownloadJob(account, "whoop", "backfill"))
    assert not outcomes[-1].streams_failed and outcomes[-1].continuation is None
    from shared.db import get_database

    with get_database().transaction() as cursor:
        cursor.execute("DELETE FROM sync_cursors WHERE connection_id = %s", (str(account),))
        cursor.execute("DELETE FROM delivered_records")  # the run under test must deliver everything again
    return harness.facts()


def test_the_app_wide_limit_becomes_a_continuation_after_the_reset_seconds(tmp_path, sandbox, account):
    expected = _baseline(tmp_path, account)
    whoop_state(sandbox.state.extras).configure(rate_limit_per_minute=4)
    harness = Harness(tmp_path / "run", backfill_days=30, recent_days=30)
    first = harness.run(DownloadJob(account, "whoop", "backfill"))

    assert first.continuation is not None
    delay = harness.queued[0][1]
    assert 1 <= delay <= 62  # X-RateLimit-Reset is seconds to wait, not an epoch time
    whoop_state(sandbox.state.extras).configure(rate_limit_per_minute=0)
    harness.run_to_completion(harness.queued.pop(0)[0])
    assert harness.facts() == expected


def test_an_expired_token_is_refreshed_once_and_the_rotated_pair_is_used(tmp_path, sandbox, account):
    expected = _baseline(tmp_path, account)
    sandbox.state.grants.expire_access_tokens("whoop", "bob")
    harness = Harness(tmp_path / "run", backfill_days=30, recent_days=30)
    outcome = harness.run(DownloadJob(account, "whoop", "backfill"))

    assert not outcome.reauth_required and outcome.continuation is None
    assert sandbox.state.counters.get("whoop.token:refresh_token") == 1
    assert harness.facts() == expected


def test_a_lapsed_membership_skips_every_stream_and_records_it(tmp_path, sandbox, account):
    whoop_state(sandbox.state.extras).configure(membership_inactive=True)
    outcome = Harness(tmp_path / "run", backfill_days=30, recent_days=30).run(DownloadJob(account, "whoop", "backfill"))

    assert set(outcome.streams_failed) == {"cycle", "recovery", "sleep", "workout", "body_measurement"}
    assert {name: status for name, (_, status, _) in cursors(account).items()} == dict.fromkeys(
        outcome.streams_failed, "skipped")


def test_records_pending_at_the_first_read_come_with_the_next_sync(tmp_path, sandbox, account):
    whoop_state(sandbox.state.extras).configure(pending_minutes=30 * 60)
    first = Harness(tmp_path / "first", backfill_days=30, recent_days=30)
    first.run(DownloadJob(account, "whoop", "backfill"))
    whoop_state(sandbox.state.extras).configure(pending_minutes=0)
    later = Harness(tmp_path / "later", backfill_days=30, recent_days=30, clock_at=NOW + timedelta(hours=1))
    later.settings = replace(later.settings, sync_overlap_minutes=2880)
    later.run(DownloadJob(account, "whoop", "incremental"))

    new = {fact for fact in later.facts() if fact not in first.facts()}
    assert any(fact[0] == "event" and fact[1].endswith(".sleep") for fact in new)
