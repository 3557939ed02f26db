-- The provider list lives in code (shared/providers PROVIDERS): a connection may name any of them.
ALTER TABLE connections DROP CONSTRAINT IF EXISTS connections_provider_check;
