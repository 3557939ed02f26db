-- Connections of any registered provider: the registry (shared/providers) names them, the table
-- only checks the shape of the name, so adding a provider needs no change here.

ALTER TABLE connections DROP CONSTRAINT IF EXISTS connections_provider_check;
ALTER TABLE connections ADD CONSTRAINT connections_provider_name_check
    CHECK (provider ~ '^[a-z][a-z0-9_]{1,31}$');
