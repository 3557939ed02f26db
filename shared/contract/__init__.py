"""Personicle record contract: record types, wire form, data dictionary, Avro schemas."""
