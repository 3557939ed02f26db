"""Every kind we emit is in Personicle's published dictionary, with its base schema's field types, or an extension."""

from __future__ import annotations

import pytest

from shared.config import SettingsError
from shared.contract.dictionary import load_dictionary
from shared.contract.extensions import ExtensionSelection, parse_extensions
from tests.contract.samples import DS, EV
from tests.sink.fakes import make_settings

# Personicle's base schemas (value column type, interval or instant), as its consumers create tables from them.
BASE_SCHEMAS = {
    "integer_datastream_schema.avsc": ("Integer", False),
    "integer_interval_datastream_schema.avsc": ("Integer", True),
    "numeric_datastream_schema.avsc": ("Numeric", False),
    "numeric_interval_datastream_schema.avsc": ("Numeric", True),
}
# Units we deliberately write differently from the published entry (its known defects).
UNIT_FIXES = {"step.count": "count", "interval.step.count": "count", "blood_pressure.systolic": "mmHg",
              "blood_pressure.diastolic": "mmHg", "blood_glucose": "mmol/L"}
PUBLISHED_EVENT_TYPES = {EV + "exercise", EV + "exercise.running"}


def _published_streams():
    return {name: entry for name, entry in load_dictionary().streams.items() if not entry.extension}


def test_the_published_streams_are_the_ones_personicle_lists():
    assert {name[len(DS):] for name in _published_streams()} == {
        "heartrate", "heart_intensity_minutes", "interval.heart_intensity_minutes", "active_minutes",
        "interval.active_minutes", "step.cumulative", "resting_calories", "active_calories", "total_calories",
        "interval.total_calories", "distance", "interval.distance", "weight", "cycling.cadence", "cycling.power",
        "step.cadence", "step.count", "interval.step.count", "body_fat", "height", "location", "speed",
        "blood_glucose", "blood_pressure.systolic", "blood_pressure.diastolic", "body_temperature"}


@pytest.mark.parametrize("name", sorted(_published_streams()), ids=lambda name: name[len(DS):])
def test_a_published_stream_matches_its_base_schema_and_unit(name):
    entry = load_dictionary().stream(name)
    published = entry.published
    assert published.table and published.base_schema
    short = name[len(DS):]
    if entry.value_type == "Json":
        assert published.base_schema == "location_datastream_schema.avsc"
        return
    if short == "blood_glucose":  # published with a base schema Personicle does not ship: our numeric one
        assert entry.schema == "numeric_datastream"
    else:
        assert BASE_SCHEMAS[published.base_schema] == (entry.value_type, entry.interval)
        assert published.value_type == entry.value_type
    assert entry.unit == UNIT_FIXES.get(short, published.unit)


def test_event_types_published_by_personicle_are_the_exercise_ones():
    events = load_dictionary().event_types
    assert {name for name, entry in events.items() if not entry.extension} == PUBLISHED_EVENT_TYPES


def test_by_default_no_extension_is_sent():
    settings = make_settings()
    dictionary = load_dictionary()
    sendable = [name for name in [*dictionary.streams, *dictionary.event_types]
                if not dictionary.is_extension(name) or settings.personicle_extensions.enables(name)]
    assert set(sendable) == set(_published_streams()) | PUBLISHED_EVENT_TYPES


def test_selection_by_name_pattern_and_all():
    selection = parse_extensions(f"{DS}sleep_score, {EV}sleep.*")
    assert selection.enables(DS + "sleep_score") and selection.enables(EV + "sleep.stage.deep")
    assert not selection.enables(EV + "sleep") and not selection.enables(DS + "readiness_score")
    assert parse_extensions("all").enables(DS + "vo2_max")
    assert parse_extensions("none") == ExtensionSelection() == parse_extensions("")
    assert str(ExtensionSelection()) == "none"


BAD = {
    "published-name": (DS + "heartrate", "not an extension"),
    "unknown-name": (DS + "sleep_points", "not an extension"),
    "empty-pattern": (DS + "nothing.*", "matches no extension"),
    "all-with-names": (f"all,{DS}sleep_score", "cannot be combined"),
}


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_bad_selections_stop_the_app_naming_the_setting(case):
    raw, words = case
    with pytest.raises(SettingsError, match="PERSONICLE_EXTENSIONS"):
        make_settings(PERSONICLE_EXTENSIONS=raw)
    with pytest.raises(ValueError, match=words):
        parse_extensions(raw)
