"""Record sinks: Event Hubs (Avro or JSON) and local JSONL files, behind one protocol."""
