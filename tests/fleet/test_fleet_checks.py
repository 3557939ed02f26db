"""The fleet scenario's own checks, on hand-made runs: what counts as a repeat of the killed window."""

from devtools.sandbox.call_log import UserApiCalls
from tests.fleet.scenario import FleetRun, SinkLine, differences, killed_window_violations, retried_jobs


def _run(lines: list[tuple[str, ...]], calls: list[UserApiCalls] = ()) -> FleetRun:
    return FleetRun(users=1, connections=1, lines=[SinkLine(record_id, "u1", "oura", writer, *hub)
                                                   for record_id, writer, *hub in lines],
                    calls=list(calls), whoop_app_peak_per_minute=0, seconds=1.0, killed_writer="a")


def test_the_killed_process_s_last_lines_may_repeat_once():
    run = _run([("r1", "a"), ("r2", "a"), ("r3", "a"), ("r2", "b"), ("r3", "b"), ("r4", "b")])

    assert run.repeats() == {"r2": 2, "r3": 2}
    assert killed_window_violations(run) == []


def test_an_earlier_line_of_the_killed_process_may_not_repeat():
    run = _run([("r1", "a"), ("r2", "a"), ("r1", "b")])

    assert killed_window_violations(run) == ["u1/oura: repeated lines [0] of 2 are not the last ones written"]


def test_the_last_lines_count_per_hub_file():
    # The page in flight went to both hubs: its event is the last events line even though a datastream
    # line of an earlier page was written after the event file's earlier lines.
    run = _run([("e1", "a", "events"), ("d1", "a", "datastreams"), ("e2", "a", "events"),
                ("d2", "a", "datastreams"), ("e2", "b", "events"), ("d2", "b", "datastreams")])
    early = _run([("e1", "a", "events"), ("e2", "a", "events"), ("d1", "a", "datastreams"), ("e1", "b", "events")])

    assert killed_window_violations(run) == []
    assert killed_window_violations(early) == [
        "u1/oura: repeated lines [0] of 2 in events are not the last ones written"]


def test_repeats_by_the_surviving_processes_or_twice_over_are_violations():
    twice_by_b = _run([("r1", "b"), ("r1", "b")])
    three_times = _run([("r1", "a"), ("r1", "b"), ("r1", "a-restarted")])

    assert killed_window_violations(twice_by_b) == ["r1: delivered 2 times by ['b', 'b']"]
    assert killed_window_violations(three_times)[0] == "r1: delivered 3 times by ['a', 'b', 'a-restarted']"


def test_differences_count_missing_and_extra_records():
    reference = _run([("r1", "b"), ("r2", "b")])

    assert differences(_run([("r1", "b"), ("r9", "b")]), reference) == ["u1: 1 missing, 1 extra"]
    assert differences(_run([("r2", "a"), ("r1", "b")]), reference) == []


def test_a_person_over_a_documented_per_user_limit_is_named():
    run = _run([], [UserApiCalls("u1", "oura", 6000, 5001), UserApiCalls("u2", "oura", 40, 40),
                    UserApiCalls("u3", "whoop", 900, 900)])

    assert run.over_limit() == ["u1 at oura: 5001 calls in 300 s"]


def test_retried_jobs_are_counted_from_the_host_logs(tmp_path):
    log = tmp_path / "host-b.log"
    log.write_text(
        "[t] download oura connection c1 (backfill, attempt 1, invocation i1): 9 records, 12 API calls\n"
        "[t] download oura connection c2 (history, attempt 2, invocation i2): 6 records, 1 API calls\n"
        "[t] download whoop connection c3 (backfill, attempt 12, invocation i3): 0 records, 5 API calls\n")

    assert retried_jobs([log]) == 2
