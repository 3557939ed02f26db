"""The shared budget in a real PostgreSQL: concurrent workers on separate connections never pass it."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from shared.budget import store
from shared.budget.gate import BudgetGate, budget_uses
from shared.budget.limits import RequestBudget
from shared.clock import UTC
from shared.config import get_settings
from shared.db import Database
from shared.errors import BudgetSpent

NOW = datetime(2026, 10, 1, 12, 0, 0, 250_000, tzinfo=UTC)


def _hammer(gates: list[BudgetGate], calls_each: int) -> tuple[int, list[BudgetSpent]]:
    """Let every gate try `calls_each` calls at once, each on its own thread; return the calls allowed and refusals."""
    allowed, refusals, lock = [0], [], threading.Lock()
    barrier = threading.Barrier(len(gates))

    def worker(gate: BudgetGate) -> None:
        barrier.wait()
        for _ in range(calls_each):
            try:
                gate.spend()
                with lock:
                    allowed[0] += 1
            except BudgetSpent as spent:
                with lock:
                    refusals.append(spent)

    threads = [threading.Thread(target=worker, args=(gate,)) for gate in gates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return allowed[0], refusals


@pytest.mark.parametrize("workers", [2, 6])
def test_concurrent_workers_on_separate_connections_never_exceed_the_budget(database, workers):
    hosts = [Database(get_settings()) for _ in range(workers)]  # as separate hosts: one pool each
    budgets = (RequestBudget(25, 60), RequestBudget(40, 3600))
    gates = [BudgetGate(host, "whoop", budgets, lambda: NOW) for host in hosts]
    try:
        allowed, refusals = _hammer(gates, 20)
    finally:
        for host in hosts:
            host.close()

    assert allowed == 25
    assert len(refusals) == workers * 20 - 25
    assert {round(spent.retry_after, 3) for spent in refusals} == {60.75}  # the slot of 12:00:00 leaves at 12:01:01


def test_calls_spread_over_time_are_allowed_as_the_window_slides(database):
    budgets = (RequestBudget(10, 60),)
    moment = [NOW]
    gate = BudgetGate(database, "withings", budgets, lambda: moment[0])
    for second in range(10):
        moment[0] = NOW + timedelta(seconds=second)
        gate.spend()
    with pytest.raises(BudgetSpent) as spent:
        gate.spend()
    assert spent.value.retry_after == pytest.approx(51.75)  # 12:00:00 leaves the count at 12:01:01
    moment[0] = NOW + timedelta(seconds=61)
    gate.spend()  # one call's room came back
    with pytest.raises(BudgetSpent):
        gate.spend()


def test_budgets_of_providers_are_kept_apart_and_reads_count_nothing(database):
    budgets = (RequestBudget(2, 60),)
    for _ in range(2):
        BudgetGate(database, "whoop", budgets, lambda: NOW).spend()
    with pytest.raises(BudgetSpent):
        BudgetGate(database, "whoop", budgets, lambda: NOW).spend()
    BudgetGate(database, "withings", budgets, lambda: NOW).spend()

    uses = budget_uses(database, "whoop", budgets, lambda: NOW)
    assert [(use.requests, use.seconds, use.used) for use in uses] == [(2, 60, 2)]
    assert budget_uses(database, "whoop", budgets, lambda: NOW) == uses


def test_slots_that_left_their_period_are_deleted(database):
    budgets = (RequestBudget(5, 60),)
    BudgetGate(database, "whoop", budgets, lambda: NOW).spend()
    BudgetGate(database, "whoop", budgets, lambda: NOW + timedelta(minutes=5)).spend()
    with database.transaction() as cursor:
        cursor.execute("SELECT count(*), sum(used) FROM request_budget_slots WHERE provider = 'whoop'")
        assert cursor.fetchone() == (1, 1)


def test_the_status_page_shows_each_budget(database):
    from shared.operations import as_json, operational_status

    settings = get_settings()
    gate = BudgetGate(database, "whoop", (RequestBudget(90, 60), RequestBudget(9500, 86400)), lambda: NOW)
    for _ in range(3):
        gate.spend()
    report = as_json(operational_status(database, lambda queue: 0, now=NOW, settings=settings))
    assert list(report["providers"]["whoop"]["request_budgets"]) == [
        {"requests": 90, "seconds": 60, "used": 3}, {"requests": 9500, "seconds": 86400, "used": 3}]
    assert list(report["providers"]["withings"]["request_budgets"]) == [{"requests": 108, "seconds": 60, "used": 0}]
    assert list(report["providers"]["oura"]["request_budgets"]) == []


def test_a_database_connection_goes_back_to_the_pool_in_transaction_mode(database):
    store.spend(database, "whoop", (RequestBudget(5, 60),), 0)
    with database.connection() as conn:
        assert conn.autocommit is False
