ALTER TABLE connections DROP CONSTRAINT IF EXISTS connections_provider_name_check;
ALTER TABLE connections ADD CONSTRAINT connections_provider_check
    CHECK (provider IN ('fitbit', 'oura', 'google_fit', 'whoop', 'withings')) NOT VALID;
