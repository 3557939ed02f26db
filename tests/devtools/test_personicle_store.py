"""The local stand-in of Personicle's consumers: what it stores from the sink, and the data it shows."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.request import urlopen

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from devtools.personicle_store.reader import ingest_once
from devtools.personicle_store.server import StoreServer
from devtools.personicle_store.tables import SCHEMA, table_name
from shared.contract.records import DatastreamPacket, Event, IntervalPoint, Point
from shared.sink.jsonl import JsonlSink
from tests.conftest import DEMO, ROOT
from tests.connect.test_browser import browser  # noqa: F401 - the fixture
from tests.sink.fakes import make_settings

NOW = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
DS = "com.personicle.individual.datastreams."
USER = "store-user"
ARTIFACTS = ROOT / ".local" / "test-artifacts"
CHART_LIBRARY = ROOT / ".local" / "web" / "node_modules" / "chart.js" / "dist" / "chart.umd.js"


def _records(user: str = USER) -> list:
    hours = [NOW - timedelta(hours=h) for h in range(48, 0, -1)]
    heart = DatastreamPacket(DS + "heartrate", user, "oura", "bpm", None,
                             tuple(Point(t + timedelta(minutes=m), 55 + (m + t.hour) % 30) for t in hours for m in (0, 30)))
    steps = DatastreamPacket(DS + "interval.step.count", user, "fitbit", "count", None,
                             tuple(IntervalPoint(t, t + timedelta(minutes=1), 40 + t.hour) for t in hours))
    sleep = Event(user, NOW - timedelta(hours=30), NOW - timedelta(hours=22), "com.personicle.individual.events.sleep",
                  "Sleep", "oura", {"duration": 28800})
    run = Event(user, NOW - timedelta(hours=5), NOW - timedelta(hours=4), "com.personicle.individual.events.exercise.running",
                "Running", "fitbit", {"duration": 3600})
    return [heart, steps, sleep, run]


@pytest.fixture
def personicle_tables(database):
    """The app's test database with the stand-in's schema emptied."""
    with database.transaction() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    return database


def _count(database, sql: str) -> int:
    with database.transaction() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def test_points_are_stored_once_and_re_sent_events_twice_as_personicle_does(personicle_tables, tmp_path):
    sink = JsonlSink(make_settings(LOCAL_SINK_DIR=str(tmp_path), LOCAL_SINK_ROTATE_BYTES="4000"))
    sink.send(_records())
    created: set[str] = set()
    first = ingest_once(personicle_tables, tmp_path, created)
    assert first == 4
    assert _count(personicle_tables, f"SELECT count(*) FROM {SCHEMA}.{table_name(DS + 'heartrate')}") == 96
    assert _count(personicle_tables, f"SELECT count(*) FROM {SCHEMA}.{table_name(DS + 'interval.step.count')}") == 48
    assert _count(personicle_tables, f"SELECT count(*) FROM {SCHEMA}.events") == 2
    assert ingest_once(personicle_tables, tmp_path, created) == 0  # nothing new: nothing read again

    sink.send(_records())  # a re-send (an overlap window read again), rotating the files on the way
    assert len(list(tmp_path.glob("*.jsonl"))) > 2
    assert ingest_once(personicle_tables, tmp_path, created) == 4
    assert _count(personicle_tables, f"SELECT count(*) FROM {SCHEMA}.{table_name(DS + 'heartrate')}") == 96  # absorbed
    assert _count(personicle_tables, f"SELECT count(*) FROM {SCHEMA}.events") == 4  # events have no key: duplicated


def test_a_half_written_line_waits_for_its_end(personicle_tables, tmp_path):
    sink = JsonlSink(make_settings(LOCAL_SINK_DIR=str(tmp_path)))
    sink.send(_records()[2:3])
    with open(tmp_path / "events.jsonl", "a", encoding="utf-8") as file:
        file.write('{"record_id": "partial"')
    created: set[str] = set()
    assert ingest_once(personicle_tables, tmp_path, created) == 1
    with open(tmp_path / "events.jsonl", "a", encoding="utf-8") as file:
        file.write(', "kind": "event", "partition_key": "x", "body": '
                   + json.dumps({"individual_id": USER, "start_time": "2026-01-01 00:00:00",
                                 "end_time": "2026-01-01 01:00:00", "event_type": "e", "event_name": "E",
                                 "source": "oura", "parameters": "{}"}) + "}\n")
    assert ingest_once(personicle_tables, tmp_path, created) == 1
    assert _count(personicle_tables, f"SELECT count(*) FROM {SCHEMA}.events") == 2


def test_the_data_page_charts_a_week_of_one_user(personicle_tables, sandbox, tmp_path, browser):  # noqa: F811 - the fixture
    assert CHART_LIBRARY.exists(), "the test command installs Chart.js"
    JsonlSink(make_settings(LOCAL_SINK_DIR=str(tmp_path))).send(_records())
    ingest_once(personicle_tables, tmp_path, set())
    server = StoreServer(personicle_tables, CHART_LIBRARY, 0)
    server.start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        week = json.loads(urlopen(f"{base}/data?user={USER}").read())
        assert set(week["series"]["heart_rate"]) == {"oura"} and set(week["series"]["steps"]) == {"fitbit"}
        assert [e["event_name"] for e in week["events"]] == ["Sleep", "Running"]
        assert all(e["copies"] == 1 for e in week["events"])

        browser.set_window_size(1100, 900)
        browser.get(f"{base}/?user={USER}")
        WebDriverWait(browser, 20).until(lambda driver: driver.find_element(By.TAG_NAME, "body")
                                         .get_attribute("data-ready") == "true")
        drawn = browser.execute_script(
            "return ['heart-rate','steps','timeline'].map(id => Chart.getChart(id).data.datasets"
            ".reduce((n, d) => n + d.data.length, 0))")
        assert drawn == [48, 48, 2]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / "your-data.png"))

        # The demo page shows the same page for whoever signs in.
        wait = WebDriverWait(browser, 20)
        browser.get(f"{DEMO}?personicle_tables={base}/")
        wait.until(ready.element_to_be_clickable((By.ID, "signin-alice"))).click()
        wait.until(lambda driver: "user=alice" in (driver.find_element(By.ID, "your-data-frame").get_attribute("src") or ""))
        assert browser.find_element(By.ID, "your-data").is_displayed()
    finally:
        server.stop()


def test_the_data_endpoint_needs_a_user(personicle_tables):
    server = StoreServer(personicle_tables, Path("/nonexistent"), 0)
    server.start()
    try:
        with pytest.raises(Exception) as refused:
            urlopen(f"http://127.0.0.1:{server.port}/data")
        assert getattr(refused.value, "code", None) == 400
    finally:
        server.stop()
