"""The registration kit: Personicle dictionary entries and tables for every extension, kept current."""

from __future__ import annotations

import pytest

from devtools.personicle_registration import main as kit_main
from shared.contract.dictionary import load_dictionary
from shared.contract.registration import dictionary_entries, table_definitions


def test_the_committed_kit_is_current():
    assert kit_main(["--check"]) == 0


def test_the_table_statements_are_printed_on_demand(capsys):
    assert kit_main(["--sql"]) == 0
    printed = capsys.readouterr().out
    assert printed.endswith(table_definitions())
    assert printed.count("CREATE TABLE IF NOT EXISTS") == len(
        dictionary_entries()["com.personicle"]["individual"]["datastreams"])


def test_every_extension_has_an_entry_and_no_published_one_does():
    dictionary = load_dictionary()
    individual = dictionary_entries()["com.personicle"]["individual"]
    assert set(individual["datastreams"]) | set(individual["events"]) == set(dictionary.extensions())


def test_entries_follow_personicle_format_and_tables_are_new_and_distinct():
    dictionary = load_dictionary()
    streams = dictionary_entries()["com.personicle"]["individual"]["datastreams"]
    published_tables = {entry.published.table for entry in dictionary.streams.values() if not entry.extension}
    tables = [entry["TableName"] for entry in streams.values()]
    assert len(tables) == len(set(tables)) and not set(tables) & published_tables
    for name, entry in streams.items():
        ours = dictionary.stream(name)
        assert set(entry) == {"ValueType", "Unit", "TableName", "base_schema"}
        assert (entry["ValueType"], entry["Unit"]) == (ours.value_type, ours.unit)
        assert entry["base_schema"].startswith(ours.value_type.lower())
        assert ("_interval_" in entry["base_schema"]) is ours.interval


def test_the_tables_are_valid_postgresql_with_the_base_schema_keys(database):
    class Rollback(Exception):
        pass

    with pytest.raises(Rollback):
        with database.transaction() as cursor:
            cursor.execute(table_definitions())
            cursor.execute("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                           " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'interval_heartrate'::regclass"
                           " AND i.indisprimary ORDER BY a.attname")
            assert [row[0] for row in cursor.fetchall()] == ["end_time", "individual_id", "source", "start_time"]
            raise Rollback()
