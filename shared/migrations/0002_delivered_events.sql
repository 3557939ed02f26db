-- What was delivered inside the re-read overlap: per connection (one user and one provider source)
-- and Personicle stream or event type, each record's id and a digest of its content, so that an
-- incremental sync sends only new or changed records.

CREATE TABLE delivered_records (
    individual_id  text NOT NULL,
    source         text NOT NULL,
    stream         text NOT NULL,
    record_id      text NOT NULL,
    digest         bytea NOT NULL,
    ends_at        timestamptz NOT NULL,
    delivered_at   timestamptz NOT NULL,
    PRIMARY KEY (individual_id, source, stream, record_id)
);

-- Pruning what falls out of the overlap.
CREATE INDEX delivered_records_ends_at ON delivered_records (individual_id, source, stream, ends_at);
