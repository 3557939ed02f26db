-- One download job per connection at a time: the job holding the lease, until when.

ALTER TABLE connections
    ADD COLUMN lease_holder uuid,
    ADD COLUMN lease_until  timestamptz;
