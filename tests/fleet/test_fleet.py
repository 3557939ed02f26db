"""Many users at once: 200 sandbox people connect over HTTP, two host processes download, one is killed.

A fault-free run gives each person's set of record ids; the same people are then run again with host
A killed by SIGKILL mid-backfill and restarted. When the queues are empty, both runs must have every
stream's cursor at its end, nothing poisoned, the same record ids per person, no person over a
provider's per-user rate limit, and repeats only of the window the killed process had in flight.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.fleet.scenario import FleetRun, data_end_for, differences, fleet, killed_window_violations, run_fleet

USERS = 200
KILL_AT_SHARE = 0.4  # of the fault-free run's lines: mid-backfill
DATA_END = data_end_for(datetime.now(UTC))


def _assert_complete(run: FleetRun) -> None:
    assert run.unfinished == []
    assert run.poisoned == 0
    assert run.over_limit() == []
    assert run.whoop_refused == 0  # the hosts' shared budget kept the fleet inside WHOOP's app-wide limits
    assert len(run.record_ids_by_user()) == run.users  # every person got records


@pytest.fixture(scope="module")
def reference(app_host, sandbox_server, migrated_database, tmp_path_factory) -> FleetRun:
    """The fault-free run."""
    return run_fleet(sandbox_server, migrated_database, fleet(USERS), tmp_path_factory.mktemp("fleet-reference"),
                     DATA_END)


def test_fault_free_run_delivers_everything_once(reference):
    _assert_complete(reference)
    assert reference.connections == sum(len(user.providers) for user in fleet(USERS))  # 266
    assert reference.repeats() == {}
    assert reference.retried_jobs == 0


def test_killed_host_loses_nothing_and_repeats_only_its_window(reference, app_host, sandbox_server,
                                                               migrated_database, tmp_path):
    kill_at = int(len(reference.lines) * KILL_AT_SHARE)

    run = run_fleet(sandbox_server, migrated_database, fleet(USERS), tmp_path, DATA_END, kill_at_lines=kill_at)

    assert run.killed_writer == "a" and run.lines_at_kill >= kill_at
    assert len([line for line in run.lines if line.writer == "a"]) > 0  # it had delivered before it died
    assert run.retried_jobs > 0  # and had jobs in flight, which the other hosts ran again
    _assert_complete(run)
    assert differences(run, reference) == []
    assert killed_window_violations(run) == []
