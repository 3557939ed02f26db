"""A local stand-in of Personicle's Event Hub consumers, for development only.

It reads the local JSONL sink as it grows (by inode and offset, so file rotation loses nothing and
repeats nothing) and stores each message the way Personicle's consumers do: one table per datastream
with the consumers' key (individual, time or start and end, source) and `ON CONFLICT DO NOTHING`, so a
re-sent point is absorbed; events in one table **without** a unique key, as Personicle's events consumer
inserts them, so a re-sent event shows up as a second row. It serves the stored data to the demo page.

    python -m devtools.personicle_store --sink-dir .local/sink --port 7090
"""
