-- The provider list lives in code (shared/providers PROVIDERS): a connection may name any registered
-- provider; the table only checks the shape of the name, so adding a provider needs no change here.
ALTER TABLE connections DROP CONSTRAINT IF EXISTS connections_provider_check;
ALTER TABLE connections ADD CONSTRAINT connections_provider_name_check
    CHECK (provider ~ '^[a-z][a-z0-9_]{1,31}$');
