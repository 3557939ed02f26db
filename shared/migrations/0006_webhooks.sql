-- Provider webhooks: pending narrowed windows (one per connection and stream), replay guard,
-- deletions we cannot pass on as records, and when each provider last sent a verified notification.

-- A burst of notifications widens one pending window; one queued job reads and clears it.
CREATE TABLE webhook_windows (
    connection_id  uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    stream         text NOT NULL,
    window_start   timestamptz NOT NULL,
    window_end     timestamptz NOT NULL,
    version        integer NOT NULL DEFAULT 1,
    queued         boolean NOT NULL DEFAULT true,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, stream),
    CHECK (window_start < window_end)
);

-- Digests of accepted notifications: the same signed body is acted on once.
CREATE TABLE webhook_seen (
    digest   bytea PRIMARY KEY,
    seen_at  timestamptz NOT NULL
);

CREATE INDEX webhook_seen_at ON webhook_seen (seen_at);

-- Deletions the provider notified: the Personicle contract has no deletion message, so they are kept here.
CREATE TABLE webhook_deletions (
    id             bigserial PRIMARY KEY,
    connection_id  uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    stream         text NOT NULL,
    window_start   timestamptz NOT NULL,
    window_end     timestamptz NOT NULL,
    object_id      text,
    received_at    timestamptz NOT NULL
);

-- Per provider, the time of the last verified notification (webhooks healthy or not).
CREATE TABLE webhook_health (
    provider                 text PRIMARY KEY,
    last_notification_at     timestamptz NOT NULL
);
