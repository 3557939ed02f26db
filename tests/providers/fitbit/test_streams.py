"""The `fitbit` stream hooks against the sandbox: records, windows, calls, and every open reading."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import datetime, timedelta, timezone
from functools import partial
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from devtools.sandbox.client import authorize, pkce_pair
from shared.contract.records import DatastreamPacket, Event, Record
from shared.contract.wire import to_wire, validate_wire
from shared.providers.fitbit import catalogue
from shared.providers.fitbit import map_series as series
from shared.providers.fitbit.provider import SCOPES
from shared.providers.fitbit.streams import STREAMS as FITBIT_STREAMS
from shared.providers.fitbit.streams import fetch_series
from shared.sync.streams import StreamContext
from tests.providers.api import BearerApi, read_window
from tests.providers.fitbit.conftest import CLIENT_ID, NOW_TIME, Health

STREAMS = {stream.name: stream for stream in FITBIT_STREAMS}
UTC = timezone.utc


def _points(records: list[Record]) -> list[tuple]:
    out = []
    for record in records:
        assert isinstance(record, DatastreamPacket)
        out += [(record.stream_name, *dataclasses.astuple(point)) for point in record.points]
    return sorted(out)


def _read(health: Health, name: str, start: datetime, end: datetime, user: str = "bob"):
    context, api = health.context(user)
    read = read_window(STREAMS[name], context, start, end)
    assert read.calls == api.calls
    return read


def test_streams_are_declared_with_their_scopes_and_windows() -> None:
    assert [s.name for s in FITBIT_STREAMS] == [
        "steps", "distance", "heart_rate", "resting_heart_rate", "heart_rate_variability", "oxygen_saturation",
        "respiratory_rate", "active_energy", "total_calories", "active_zone_minutes", "weight", "body_fat",
        "sleep", "exercise"]
    dense = {"steps", "distance", "heart_rate", "active_energy"}
    for stream in FITBIT_STREAMS:
        assert set(stream.scopes) <= set(SCOPES) | {s.removesuffix(".readonly") for s in SCOPES}
        expected = (timedelta(days=14) if stream.name == "total_calories" else
                    timedelta(minutes=10000) if stream.name in dense else timedelta(days=366))
        assert stream.max_window == expected, stream.name
    assert STREAMS["sleep"].allowed_by([catalogue.SLEEP_SCOPES[0]])
    assert not STREAMS["steps"].allowed_by([catalogue.SLEEP_SCOPES[0]])


@pytest.mark.parametrize("name", sorted(STREAMS), ids=sorted(STREAMS))
def test_every_stream_reads_valid_records_the_same_way_twice(health: Health, name: str) -> None:
    start, end = NOW_TIME - timedelta(days=40 if name == "body_fat" else 3), NOW_TIME  # bob logs fat monthly
    first = _read(health, name, start, end)
    second = _read(health, name, start, end)
    assert first.records == second.records and first.calls == second.calls
    assert first.records, f"{name}: no records"
    for record in first.records:
        validate_wire(to_wire(record))
        if isinstance(record, Event):
            assert start <= (record.end_time if name == "sleep" else record.start_time) < end
        else:
            assert record.source == "fitbit" and record.individual_id == "personicle-bob"


def test_windows_split_anywhere_give_the_same_records(health: Health) -> None:
    start, end = NOW_TIME - timedelta(days=6), NOW_TIME - timedelta(days=1)
    cut = start + timedelta(days=2, hours=7, minutes=13, seconds=29)
    for name in ("steps", "heart_rate_variability", "resting_heart_rate", "sleep", "exercise", "weight"):
        whole = _read(health, name, start, end).records
        parts = _read(health, name, start, cut).records + _read(health, name, cut, end).records
        if name in ("sleep", "exercise"):
            assert sorted(map(to_wire_key, parts)) == sorted(map(to_wire_key, whole)), name
        else:
            assert _points(parts) == _points(whole), name


def to_wire_key(record: Record) -> str:
    """Return a sortable key of a record's wire form."""
    return repr(sorted(to_wire(record).items()))


def test_reconciled_steps_are_not_double_counted(health: Health) -> None:
    start, end = NOW_TIME - timedelta(days=1), NOW_TIME
    streamed = sum(p[-1] for p in _points(_read(health, "steps", start, end, "alice").records))
    token = health.token("alice")
    expression = (f'steps.interval.start_time >= "{start:%Y-%m-%dT%H:%M:%SZ}" AND '
                  f'steps.interval.start_time < "{end:%Y-%m-%dT%H:%M:%SZ}"')
    listed = health.get(token, "steps", filter=expression, pageSize=10000).json()["dataPoints"]
    by_source = Counter()
    for point in listed:
        by_source[point["dataSource"]["platform"]] += int(point["steps"].get("count", 0))
    assert by_source["HEALTH_CONNECT"] > 0
    assert by_source["FITBIT"] <= streamed < by_source["FITBIT"] + by_source["HEALTH_CONNECT"]


def test_a_multi_page_window_costs_the_documented_minimum(health: Health) -> None:
    read = _read(health, "heart_rate", NOW_TIME - timedelta(hours=6), NOW_TIME, "alice")
    samples = len(_points(read.records))
    assert samples > 15000 and read.calls == -(-samples // 10000) == 2 and read.pages == read.calls


def test_sleep_falls_back_to_unfiltered_paging_when_filters_are_refused(health: Health) -> None:
    start, end = NOW_TIME - timedelta(days=40), NOW_TIME - timedelta(days=10)
    filtered = _read(health, "sleep", start, end)
    health.configure(sleep_rejects_filters=True)
    fallback = _read(health, "sleep", start, end)
    assert fallback.records == filtered.records and filtered.calls == 2
    assert fallback.calls == 1 + 2  # the refused call, then newest-first pages until one ends before the window
    assert health.state.counters.get("googlehealth.list") == 2


TIE_READINGS = [("default", {}), ("oldest-first", {"reconcile_oldest_first": True})]


@pytest.mark.parametrize(("label", "knobs"), TIE_READINGS, ids=[row[0] for row in TIE_READINGS])
def test_records_sharing_a_time_survive_a_dropping_page_boundary(health: Health, label: str, knobs: dict) -> None:
    health.configure(reconcile_merges_sources=False, **knobs)  # phone and watch share each walking minute
    start, end = datetime(2026, 9, 30, 6, tzinfo=UTC), datetime(2026, 9, 30, 10, tzinfo=UTC)
    small = dataclasses.replace(STREAMS["steps"], fetch_page=partial(
        fetch_series, data_type=catalogue.STEPS, spec=series.STEPS, page_size=5))
    context, _ = health.context("alice")
    complete = _points(read_window(small, context, start, end).records)
    health.configure(tie_drop=True)
    survived = _points(read_window(small, context, start, end).records)
    assert survived == complete and len(complete) > 200
    assert len({p[1] for p in complete}) < len(complete)  # times really are shared
    walked, token = 0, None  # the provider's own tokens do lose records under this reading
    expression = (f'steps.interval.start_time >= "{start:%Y-%m-%dT%H:%M:%SZ}" AND '
                  f'steps.interval.start_time < "{end:%Y-%m-%dT%H:%M:%SZ}"')
    while True:
        body = health.get(context.api.token, "steps", "reconcile", filter=expression, pageSize=5,
                          **({"pageToken": token} if token else {})).json()
        walked += len(body.get("dataPoints", []))
        token = body.get("nextPageToken")
        if not token:
            break
    assert walked < len(complete)


READINGS = [("end-token-omitted", {"end_token_omitted": True}), ("zero-as-string", {"zero_as_string": True}),
            ("reconcile-oldest-first", {"reconcile_oldest_first": True}),
            ("rollup-paged", {"rollup_windows_per_page": 500})]


@pytest.mark.parametrize(("label", "knobs"), READINGS, ids=[row[0] for row in READINGS])
def test_other_open_readings_give_the_same_records(health: Health, label: str, knobs: dict) -> None:
    start, end = NOW_TIME - timedelta(days=2), NOW_TIME
    names = ("steps", "total_calories", "exercise", "sleep")
    before = {name: _read(health, name, start, end).records for name in names}
    health.configure(**knobs)
    for name in names:
        after = _read(health, name, start, end).records
        if name in ("steps", "total_calories"):
            assert _points(after) == _points(before[name]), name
        else:
            assert sorted(map(to_wire_key, after)) == sorted(map(to_wire_key, before[name])), name


def test_daily_windows_without_a_noon_make_no_call(health: Health) -> None:
    read = _read(health, "resting_heart_rate", NOW_TIME - timedelta(hours=30), NOW_TIME - timedelta(hours=25))
    assert read.calls == 0 and read.records == []
    read = _read(health, "resting_heart_rate", NOW_TIME - timedelta(hours=37), NOW_TIME - timedelta(hours=35))
    assert read.calls == 1 and _points(read.records)[0][1] == datetime(2026, 9, 29, 12, tzinfo=UTC)


def test_offsets_follow_time_zone_changes(health: Health) -> None:
    home = _read(health, "exercise", datetime(2026, 6, 20, tzinfo=UTC), datetime(2026, 7, 5, tzinfo=UTC), "alice")
    trip = _read(health, "exercise", datetime(2026, 7, 13, tzinfo=UTC), datetime(2026, 7, 21, tzinfo=UTC), "alice")
    assert {e.parameters["utc_offset"] for e in home.records} == {"+02:00"}
    assert {e.parameters["utc_offset"] for e in trip.records} == {"-04:00"}
    health.configure(now="2026-11-01T00:00:00Z")
    winter = _read(health, "sleep", datetime(2026, 10, 24, tzinfo=UTC), datetime(2026, 10, 27, tzinfo=UTC), "alice")
    crossing = [e for e in winter.records if e.parameters.get("end_utc_offset")]
    assert [(e.parameters["utc_offset"], e.parameters["end_utc_offset"]) for e in crossing] == [("+02:00", "+01:00")]


def test_token_from_the_google_oauth_flow_reads_data(health: Health) -> None:
    verifier, challenge = pkce_pair()
    redirect_uri = health.state.clients.get("google", CLIENT_ID).redirect_uris[0]
    location = authorize(f"{health.server.url}/google/o/oauth2/v2/auth?" + urlencode({
        "client_id": CLIENT_ID, "redirect_uri": redirect_uri, "response_type": "code", "scope": " ".join(SCOPES),
        "access_type": "offline", "prompt": "consent", "code_challenge": challenge,
        "code_challenge_method": "S256", "state": "s1"}), user="carol")
    code = parse_qs(urlsplit(location).query)["code"][0]
    tokens = requests.post(f"{health.server.url}/google/token", data={
        "grant_type": "authorization_code", "code": code, "client_id": CLIENT_ID,
        "client_secret": "sandbox-fitbit-secret", "redirect_uri": redirect_uri, "code_verifier": verifier},
        timeout=10).json()
    context = StreamContext(BearerApi(tokens["access_token"]), health.base, "personicle-carol", "fitbit")
    read = read_window(STREAMS["weight"], context, NOW_TIME - timedelta(days=30), NOW_TIME)
    assert read.records and read.calls == 1
