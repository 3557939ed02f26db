"""A WHOOP backfill through the real engine under a tiny app-wide budget: it waits, it loses nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from devtools.sandbox.providers.whoop.knobs import whoop_state
from shared.budget.limits import RequestBudget
from shared.jobs import DownloadJob
from tests.sync.support import Harness, connect_account, pin_sandbox_clock


@pytest.fixture
def account(sandbox, database):
    pin_sandbox_clock(sandbox, "whoop")
    return connect_account(sandbox, "whoop")


def _harness(folder, budgets) -> Harness:
    harness = Harness(folder, backfill_days=30, recent_days=30)
    harness.settings = harness.settings.with_provider("whoop", request_budgets=budgets)
    return harness


def _dated_by_the_read(facts: set[tuple]) -> set[tuple]:
    """Return the facts with body measurements undated: they are stamped with the day they were read (whoop.md 4.1)."""
    return {fact[:2] + ("read day",) + fact[3:] if fact[1].endswith((".weight", ".height")) else fact
            for fact in facts}


def _forget_delivery(database, account) -> None:
    with database.transaction() as cursor:
        cursor.execute("DELETE FROM sync_cursors WHERE connection_id = %s", (str(account),))
        cursor.execute("DELETE FROM delivered_records")
        cursor.execute("DELETE FROM request_budget_slots")


def test_a_spent_budget_yields_continuations_that_wait_for_the_window_and_lose_nothing(
        tmp_path, sandbox, database, account):
    baseline = _harness(tmp_path / "baseline", ())
    outcomes = baseline.run_to_completion(DownloadJob(account, "whoop", "backfill"))
    assert outcomes[-1].continuation is None and not outcomes[-1].streams_failed
    expected, calls_needed = baseline.facts(), sum(outcome.api_calls for outcome in outcomes)
    _forget_delivery(database, account)
    whoop_state(sandbox.state.extras).configure(rate_limit_per_minute=3)  # the vendor's limit, as low as ours
    harness = _harness(tmp_path / "run", (RequestBudget(3, 60),))

    job, calls, resumed = DownloadJob(account, "whoop", "backfill"), [], 0
    while True:
        outcome = harness.run(job)
        calls.append(outcome.api_calls)
        if outcome.continuation is None:
            break
        (job, delay), = harness.queued
        resumed += job.resume is not None
        harness.queued.clear()
        assert delay == 62  # the minute's first slot leaves the count 61 s after it began, plus a second
        harness.clock_at += timedelta(seconds=delay)
        whoop_state(sandbox.state.extras).limits._calls.clear()  # the sandbox's minute runs in real time

    assert _dated_by_the_read(harness.facts()) == _dated_by_the_read(expected)
    assert calls[:-1] == [3] * (len(calls) - 1) and calls[-1] <= 3  # each job stopped only when the budget was spent
    # A window stopped between pages resumes at its next page; the later jobs' later clock adds a short window.
    assert resumed >= 1 and sum(calls) <= calls_needed + resumed
    assert whoop_state(sandbox.state.extras).refused == 0


def test_token_refreshes_spend_the_budget_too(tmp_path, sandbox, database, account):
    sandbox.state.grants.expire_access_tokens("whoop", "bob")
    with database.transaction() as cursor:
        cursor.execute("UPDATE connections SET access_token_expires_at = now() - interval '1 hour'")
        cursor.execute("TRUNCATE request_budget_slots")  # the connect flow's two calls spent this same minute
    harness = _harness(tmp_path / "run", (RequestBudget(2, 60),))
    outcome = harness.run(DownloadJob(account, "whoop", "backfill"))

    assert sandbox.state.counters.get("whoop.token:refresh_token") == 1
    assert outcome.api_calls == 1 and outcome.continuation is not None


def test_the_connect_flow_spends_the_budget(database, account):
    # The code exchange and the identity call of the connection just made, in each of WHOOP's two budgets.
    with database.transaction() as cursor:
        cursor.execute("SELECT period_ms, sum(used) FROM request_budget_slots WHERE provider = 'whoop'"
                       " GROUP BY period_ms ORDER BY period_ms")
        assert cursor.fetchall() == [(60_000, 2), (86_400_000, 2)]
