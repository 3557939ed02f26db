ALTER TABLE connections ADD CONSTRAINT connections_provider_check
    CHECK (provider IN ('fitbit', 'oura', 'google_fit', 'whoop')) NOT VALID;
