ALTER TABLE connections
    DROP COLUMN lease_until,
    DROP COLUMN lease_holder;
