"""The fleet scenario: many sandbox people connect over HTTP while two host processes download their data.

Each person (`fleet0000`, `fleet0001`, ...) connects Oura, WHOOP or both through the real flow (the
app's start route, the sandbox's consent page, the app's callback, the confirmation). Two local
Functions host processes poll the same queues; one scheduling run is fired once everyone is
connected; in the faulty run one host is killed with SIGKILL once a share of the records is delivered,
then started again. The run ends when the download queues are empty.

Each host process writes its own local sink folder, so every delivered line is known by its writer:
the killed process's lines are the only ones a crash may repeat.

The sandbox's data is pinned to end four days before the run and to span two days, inside the one
history window every stream reads (SYNC_BACKFILL_DAYS 10, SYNC_RECENT_DAYS 1), so every run over the
same people yields the same records wherever its windows start. Four days keeps the data out of the
re-read overlap (SYNC_OVERLAP_MINUTES, two days, which Oura reads by whole dates): a backfill job retried
after a crash reads the streams it had already advanced from their cursor minus the overlap, and the
delivery ledger knows records by id, so data re-read in other windows would be re-sent in packets of
other ids (the same holds for the first incremental sync after any backfill).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from azure.core.exceptions import ResourceExistsError
from azure.storage.queue import QueueClient

from devtools.sandbox.call_log import UserApiCalls, busiest_window
from devtools.sandbox.client import authorize, demo_token
from shared.providers import PROVIDERS
from shared.queues import download_queue
from tests.conftest import API, DEMO, ROOT

PROVIDER_MIX: tuple[tuple[str, ...], ...] = (("oura",), ("whoop",), ("oura", "whoop"))
FLEET_PROVIDERS = ("oura", "whoop")
DATA_DAYS = 2
DATA_ENDS_BEFORE = timedelta(days=4)
# WHOOP's app-wide limits (100 a minute, 10,000 a day for all members) hold on both sides with their
# windows scaled: the sandbox enforces the vendor's figures and the hosts share the app's budget of
# them, each over a 1.2-second "minute", so the fleet's WHOOP backfills take seconds, not 20 minutes.
WHOOP_WINDOW_SCALE = 0.02
FUNCTION_TIMEOUT = "00:00:20"  # a killed host's received messages are visible again after this
NEVER = "0 0 0 1 1 *"  # timers fire only when the scenario fires them
HOST_SETTINGS = {
    "SYNC_BACKFILL_DAYS": "10",
    "SYNC_RECENT_DAYS": "1",
    "SYNC_OVERLAP_MINUTES": "2880",
    "SYNC_TIME_BUDGET_SECONDS": "10",
    # Longer than any job of this scenario (budget 10 s), shorter than the message visibility after a
    # crash, so the retried job finds the dead job's lease expired instead of being deferred.
    "SYNC_LEASE_SECONDS": "15",
    "TELEMETRY_CONSOLE": "false",
    "WHOOP_REQUEST_BUDGETS": ",".join(f"{budget.requests}/{budget.seconds * WHOOP_WINDOW_SCALE:g}"
                                      for budget in PROVIDERS["whoop"].request_budgets),
    **{name: NEVER for name in ("REFRESH_TOKENS_SCHEDULE", "SCHEDULE_SYNC_SCHEDULE", "EXPIRE_PENDING_LINKS_SCHEDULE",
                                "WEBHOOK_SUBSCRIPTIONS_SCHEDULE", "RETENTION_PURGE_SCHEDULE")},
}


@dataclass(frozen=True)
class RateLimit:
    """A provider's documented per-user limit: at most `calls` in `seconds` (docs/providers/<name>.md)."""

    calls: int
    seconds: float


# Per sandbox API name. Oura: 5000 per 5 minutes per access token (docs/providers/oura.md 6); Google
# Health: 300 a minute per user (docs/providers/fitbit.md 5.5). WHOOP and Withings document limits
# per application only (docs/providers/whoop.md 6, withings.md 6).
PER_USER_LIMITS = {"oura": RateLimit(5000, 300), "googlehealth": RateLimit(300, 60)}


@dataclass(frozen=True)
class FleetUser:
    """One person of the fleet and the providers they connect."""

    name: str
    providers: tuple[str, ...]


def fleet(size: int) -> list[FleetUser]:
    """Return `size` people, each with one or two providers (Oura, WHOOP, both, in turn)."""
    return [FleetUser(f"fleet{index:04d}", PROVIDER_MIX[index % len(PROVIDER_MIX)]) for index in range(size)]


def pin_sandbox_data(sandbox, data_end: datetime) -> None:
    """Make the imitated Oura and WHOOP data end at `data_end` and span `DATA_DAYS` days.

    WHOOP's app-wide limits (100 requests a minute, 10,000 a day for all members together) are enforced
    over windows scaled by `WHOOP_WINDOW_SCALE`, as the hosts' budget is; the sandbox counts what it
    refuses. `FleetRun.whoop_app_peak_per_minute` reports what the fleet asked of it in real minutes.
    """
    from devtools.sandbox.providers.oura.knobs import oura_state
    from devtools.sandbox.providers.whoop.knobs import whoop_state

    oura_state(sandbox.state.extras).configure(now=data_end.isoformat(), history_days=DATA_DAYS)
    whoop_state(sandbox.state.extras).configure(now=data_end.isoformat(), history_days=DATA_DAYS,
                                                rate_limit_per_minute=100, rate_limit_per_day=10_000,
                                                rate_limit_window_scale=WHOOP_WINDOW_SCALE)


def _whoop_refusals(sandbox) -> int:
    """Return how many calls the sandbox refused for WHOOP's app-wide limits since its last reset."""
    from devtools.sandbox.providers.whoop.knobs import whoop_state

    return whoop_state(sandbox.state.extras).limits.refused


def _query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def connect_user(user: FleetUser, sandbox_url: str) -> None:
    """Sign in and connect every provider of `user` over HTTP, as the Personicle frontend does.

    Raises:
        AssertionError: a step answered something other than success.
    """
    bearer = {"Authorization": f"Bearer {demo_token(sandbox_url, user.name)}"}
    for provider in user.providers:
        started = requests.post(f"{API}/oauth/{provider}/start", json={"return_to": DEMO}, headers=bearer, timeout=30)
        assert started.status_code == 200, started.text
        callback = authorize(started.json()["authorization_url"], user=user.name, timeout=30)
        landed = requests.get(callback, allow_redirects=False, timeout=30)
        assert landed.status_code == 302, landed.text
        result = _query(landed.headers["Location"])
        assert result.get("status") == "pending", result
        confirmed = requests.post(f"{API}/oauth/{provider}/confirm", json={"link": result["link"]}, headers=bearer,
                                  timeout=30)
        assert confirmed.status_code == 200, confirmed.text


class HostProcess:
    """A local Functions host process (`python -m devtools.localhost`) polling the queues, with its own sink."""

    def __init__(self, port: int, sink_dir: Path, log_path: Path) -> None:
        self.port = port
        self.sink_dir = sink_dir
        self.log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Return the host's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        """Start the process and wait until it answers HTTP."""
        environ = {**os.environ, **HOST_SETTINGS, "LOCAL_SINK_DIR": str(self.sink_dir)}
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "devtools.localhost", "--port", str(self.port),
                 "--function-timeout", FUNCTION_TIMEOUT], cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            try:
                requests.get(f"{self.url}/api/openapi.json", timeout=2)
                return
            except requests.ConnectionError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"host on port {self.port} did not start; see {self.log_path}") from None
                time.sleep(0.2)

    def kill(self) -> None:
        """End the process at once with SIGKILL (nothing is finished or released)."""
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        self._process.wait(timeout=30)

    def stop(self) -> None:
        """Stop the process gracefully (SIGTERM: running functions finish), killing it if it hangs."""
        if self._process is None or self._process.poll() is not None:
            return
        self._process.send_signal(signal.SIGTERM)
        try:
            self._process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.kill()

    def fire(self, function_name: str) -> None:
        """Run a non-HTTP function now through the host's admin route."""
        answer = requests.post(f"{self.url}/admin/functions/{function_name}", json={"input": ""}, timeout=30)
        assert answer.status_code in (200, 202), answer.text


@dataclass(frozen=True)
class SinkLine:
    """One delivered message: its record id, the person, the provider source, which process wrote it, and
    the hub file it went to (lines keep their writing order within one process's file of one hub)."""

    record_id: str
    user: str
    source: str
    writer: str
    hub: str = ""


def sink_lines(folder: Path, writer: str) -> list[SinkLine]:
    """Return the lines of a host's sink folder in the order written (per hub file)."""
    found = []
    for path in sorted(folder.glob("*.jsonl")):
        for text in path.read_text().splitlines():
            line = json.loads(text)
            found.append(SinkLine(line["record_id"], line["partition_key"], line["body"].get("source", ""), writer,
                                  path.stem))
    return found


_RETRY = re.compile(r"^\S+ download \w+ connection \S+ \(\w+, attempt ([2-9]|\d\d+),", re.MULTILINE)


def retried_jobs(logs: Iterable[Path]) -> int:
    """Return the download jobs the hosts ran again (attempt 2 or later): those a killed host had in flight."""
    return sum(len(_RETRY.findall(path.read_text(errors="replace"))) for path in logs)


def count_lines(folders: Iterable[Path]) -> int:
    """Return how many lines the sink folders hold."""
    return sum(path.read_bytes().count(b"\n") for folder in folders for path in folder.glob("*.jsonl"))


def _queue(name: str) -> QueueClient:
    return QueueClient.from_connection_string(os.environ["AzureWebJobsStorage"], name)


def clear_queues(providers: Iterable[str]) -> None:
    """Empty the providers' download queues and their poison queues, creating them when missing."""
    for provider in providers:
        for name in (download_queue(provider), download_queue(provider) + "-poison"):
            client = _queue(name)
            try:
                client.create_queue()
            except ResourceExistsError:
                pass
            client.clear_messages()


def queue_depth(names: Iterable[str]) -> int:
    """Return the messages (visible or not) on the queues."""
    return sum(_queue(name).get_queue_properties().approximate_message_count for name in names)


def unfinished_cursors(database) -> list[str]:
    """Return what keeps a connection's streams from their end: an unread stream, an error, a history left."""
    with database.transaction() as cursor:
        cursor.execute(
            "SELECT c.user_id, c.provider, s.stream, s.status, s.synced_until, s.history_from, s.history_goal"
            " FROM connections c LEFT JOIN sync_cursors s ON s.connection_id = c.id")
        rows = cursor.fetchall()
    problems = []
    for user, provider, stream, status, synced_until, history_from, history_goal in rows:
        if stream is None:
            problems.append(f"{user}/{provider}: no stream synced")
        elif status not in ("ok", "skipped") or synced_until is None:
            problems.append(f"{user}/{provider}/{stream}: status {status}, synced until {synced_until}")
        elif history_from is not None and history_goal is not None and history_from > history_goal:
            problems.append(f"{user}/{provider}/{stream}: history from {history_from} short of {history_goal}")
    return problems


@dataclass
class FleetRun:
    """What one run of the scenario delivered and cost."""

    users: int
    connections: int
    lines: list[SinkLine]
    calls: list[UserApiCalls]
    whoop_app_peak_per_minute: int
    seconds: float
    killed_writer: str | None = None
    lines_at_kill: int = 0
    retried_jobs: int = 0
    unfinished: list[str] = field(default_factory=list)
    poisoned: int = 0
    whoop_refused: int = 0

    def record_ids_by_user(self) -> dict[str, set[str]]:
        """Return each person's set of delivered record ids."""
        found: dict[str, set[str]] = defaultdict(set)
        for line in self.lines:
            found[line.user].add(line.record_id)
        return dict(found)

    def repeats(self) -> dict[str, int]:
        """Return each record id delivered more than once, with how many times."""
        return {record_id: count for record_id, count in Counter(line.record_id for line in self.lines).items()
                if count > 1}

    def records(self) -> int:
        """Return how many distinct records were delivered."""
        return len({line.record_id for line in self.lines})

    def api_calls(self) -> int:
        """Return the calls made with the people's access tokens."""
        return sum(item.calls for item in self.calls)

    def over_limit(self) -> list[str]:
        """Return each person and API whose busiest window exceeds the provider's per-user limit."""
        return [f"{item.user} at {item.api}: {item.peak} calls in {PER_USER_LIMITS[item.api].seconds:.0f} s"
                for item in self.calls
                if item.api in PER_USER_LIMITS and item.peak > PER_USER_LIMITS[item.api].calls]


def killed_window_violations(run: FleetRun) -> list[str]:
    """Return the repeats a crash does not explain.

    A record may repeat only once, with one copy written by the killed process among the last lines it
    wrote for that person and provider to that hub (the page in flight when it died: delivered, not yet
    recorded by the delivery ledger), and the other copy by a process that ran after it.
    """
    problems = []
    repeats = run.repeats()
    killed_lines: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for line in run.lines:
        if line.writer == run.killed_writer:
            killed_lines[(line.user, line.source, line.hub)].append(line.record_id)
    writers: dict[str, list[str]] = defaultdict(list)
    for line in run.lines:
        if line.record_id in repeats:
            writers[line.record_id].append(line.writer)
    for record_id, count in repeats.items():
        if count != 2 or writers[record_id].count(run.killed_writer) != 1:
            problems.append(f"{record_id}: delivered {count} times by {writers[record_id]}")
    for (user, source, hub), ids in killed_lines.items():
        repeated = [index for index, record_id in enumerate(ids) if record_id in repeats]
        if repeated and repeated != list(range(len(ids) - len(repeated), len(ids))):
            where = f" in {hub}" if hub else ""
            problems.append(f"{user}/{source}: repeated lines {repeated} of {len(ids)}{where} are not the last"
                            " ones written")
    return problems


def data_end_for(now: datetime) -> datetime:
    """Return where the sandbox's data ends for runs started around `now` (pass the same to every compared run)."""
    return (now - DATA_ENDS_BEFORE).replace(minute=0, second=0, microsecond=0)


def differences(run: FleetRun, reference: FleetRun) -> list[str]:
    """Return, per person whose record ids differ from the reference run's, how many are missing and extra."""
    got, expected = run.record_ids_by_user(), reference.record_ids_by_user()
    return [f"{user}: {len(expected.get(user, set()) - got.get(user, set()))} missing, "
            f"{len(got.get(user, set()) - expected.get(user, set()))} extra"
            for user in sorted(set(got) | set(expected)) if got.get(user) != expected.get(user)]


@contextmanager
def connect_flow_budget() -> Iterator[None]:
    """Give this process's app, whose callback makes the connect flow's budgeted calls, the hosts' scaled
    WHOOP budget for the run (settings are read once per process, so the cache is cleared around it)."""
    from shared.config import get_settings

    name = "WHOOP_REQUEST_BUDGETS"
    before = os.environ.get(name)
    os.environ[name] = HOST_SETTINGS[name]
    get_settings.cache_clear()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before
        get_settings.cache_clear()


def run_fleet(sandbox, database, users: list[FleetUser], workdir: Path, data_end: datetime,
              **options: Any) -> FleetRun:
    """Run the scenario once (see `_run_once`) with the connect flow on the hosts' WHOOP budget."""
    with connect_flow_budget():
        return _run_once(sandbox, database, users, workdir, data_end, **options)


def _run_once(sandbox, database, users: list[FleetUser], workdir: Path, data_end: datetime, *,
              kill_at_lines: int | None = None,
              ports: tuple[int, int] = (17072, 17073), connect_threads: int = 6, timeout: float = 600,
              progress: Callable[[str], None] = lambda message: None) -> FleetRun:
    """Run the scenario once on an empty database; kill host A after `kill_at_lines` delivered lines (None: never).

    The sandbox's data ends at `data_end` (`data_end_for`): the same for every run compared.

    `sandbox` is the running sandbox the app's settings point at; the app's HTTP routes must be served
    at the test API address (the connect flow's callback); the two host processes run the queues.
    """
    with database.transaction() as cursor:
        cursor.execute("TRUNCATE connections, oauth_states, sync_cursors, delivered_records, pending_links,"
                       " request_budget_slots CASCADE")
    clear_queues(FLEET_PROVIDERS)
    sandbox.state.reset()
    pin_sandbox_data(sandbox, data_end)
    workdir.mkdir(parents=True, exist_ok=True)
    hosts = {tag: HostProcess(port, workdir / f"sink-{tag}", workdir / f"host-{tag}.log")
             for tag, port in (("a", ports[0]), ("b", ports[1]))}
    writers = {"a": hosts["a"], "b": hosts["b"]}
    queues = [download_queue(provider) for provider in FLEET_PROVIDERS]
    run = FleetRun(users=len(users), connections=0, lines=[], calls=[], whoop_app_peak_per_minute=0, seconds=0.0)
    for host in hosts.values():
        host.start()
    try:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=connect_threads) as pool:
            connecting = [pool.submit(connect_user, user, sandbox.url) for user in users]
            scheduled = False
            while not scheduled or queue_depth(queues) > 0:
                if kill_at_lines is not None and run.killed_writer is None:
                    delivered = count_lines(host.sink_dir for host in writers.values())
                    if delivered >= kill_at_lines and count_lines([hosts["a"].sink_dir]) > 0:
                        _kill_and_restart(hosts, writers, workdir, run, delivered, progress)
                if not scheduled and all(future.done() for future in connecting):
                    for future in connecting:
                        future.result()
                    progress(f"{len(users)} people connected after {time.monotonic() - started:.1f} s")
                    hosts["b"].fire("timer_schedule_sync")
                    scheduled = True
                if time.monotonic() - started > timeout:
                    raise TimeoutError(f"queues not empty after {timeout} s")
                time.sleep(0.3)
        run.seconds = time.monotonic() - started
    finally:
        for host in hosts.values():
            host.stop()
    run.lines = [line for tag, host in writers.items() for line in sink_lines(host.sink_dir, tag)]
    calls = sandbox.state.calls
    run.calls = [item for item in calls.peaks(60) if item.api not in PER_USER_LIMITS] + [
        item for api, limit in PER_USER_LIMITS.items() for item in calls.peaks(limit.seconds) if item.api == api]
    run.whoop_app_peak_per_minute = busiest_window([call.at for call in calls.calls() if call.api == "whoop"], 60)
    run.whoop_refused = _whoop_refusals(sandbox)
    run.unfinished = unfinished_cursors(database)
    run.retried_jobs = retried_jobs(workdir.glob("host-*.log"))
    with database.transaction() as cursor:
        cursor.execute("SELECT count(*) FROM connections WHERE status = 'active'")
        run.connections = cursor.fetchone()[0]
    run.poisoned = queue_depth(name + "-poison" for name in queues)
    return run


def _kill_and_restart(hosts: dict[str, HostProcess], writers: dict[str, HostProcess], workdir: Path, run: FleetRun,
                      delivered: int, progress: Callable[[str], None]) -> None:
    """SIGKILL host A mid-backfill and start a new process on its port with a fresh sink folder."""
    hosts["a"].kill()
    run.killed_writer = "a"
    run.lines_at_kill = delivered
    progress(f"host A killed with SIGKILL after {delivered} delivered lines")
    restarted = HostProcess(hosts["a"].port, workdir / "sink-a-restarted", workdir / "host-a-restarted.log")
    restarted.start()
    hosts["a"] = writers["a-restarted"] = restarted
