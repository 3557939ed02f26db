-- Connections, OAuth states and sync cursors.

CREATE TABLE connections (
    id                       uuid PRIMARY KEY,
    user_id                  text NOT NULL,
    provider                 text NOT NULL CHECK (provider IN ('fitbit', 'oura', 'google_fit')),
    status                   text NOT NULL CHECK (status IN ('active', 'needs_reauth', 'revoked', 'error')),
    scopes                   text[] NOT NULL DEFAULT '{}',
    provider_user_id         text,
    token_key_id             text,
    access_token_enc         bytea,
    refresh_token_enc        bytea,
    access_token_expires_at  timestamptz,
    tokens_refreshed_at      timestamptz,
    refresh_failures         integer NOT NULL DEFAULT 0,
    next_refresh_attempt_at  timestamptz,
    connected_at             timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    last_sync_at             timestamptz,
    next_sync_at             timestamptz,
    sync_pending_until       timestamptz,
    last_error               text,
    last_error_at            timestamptz,
    revoked_at               timestamptz,
    CONSTRAINT connections_one_per_user_provider UNIQUE (user_id, provider)
);

-- One live link per provider account.
CREATE UNIQUE INDEX connections_provider_account
    ON connections (provider, provider_user_id)
    WHERE status <> 'revoked' AND provider_user_id IS NOT NULL;

-- timer_refresh_tokens: active connections whose access token expires soon ...
CREATE INDEX connections_refresh_due
    ON connections (access_token_expires_at)
    WHERE status = 'active';

-- ... or whose refresh token has not been used for a long time.
CREATE INDEX connections_refresh_aging
    ON connections (tokens_refreshed_at)
    WHERE status = 'active';

-- timer_schedule_sync: active connections due for an incremental sync.
CREATE INDEX connections_sync_due
    ON connections (next_sync_at)
    WHERE status = 'active';

CREATE TABLE oauth_states (
    state_hash         bytea PRIMARY KEY,
    user_id            text NOT NULL,
    provider           text NOT NULL,
    pkce_verifier_enc  bytea,
    return_to          text NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL,
    used_at            timestamptz
);

-- Purging expired states.
CREATE INDEX oauth_states_expires_at ON oauth_states (expires_at);

CREATE TABLE sync_cursors (
    connection_id    uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    stream           text NOT NULL,
    synced_until     timestamptz,
    last_success_at  timestamptz,
    status           text NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'skipped', 'error')),
    last_error       text,
    last_error_at    timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, stream)
);
