-- Retention and throttles: the purge's lookups, a user's outstanding OAuth states, the last manual sync.

ALTER TABLE connections ADD COLUMN last_manual_sync_at timestamptz;

-- timer_purge_retention: revoked connections past REVOKED_RETENTION_DAYS ...
CREATE INDEX connections_revoked_at ON connections (revoked_at) WHERE status = 'revoked';

-- ... and used OAuth states past a day (expired ones use oauth_states_expires_at).
CREATE INDEX oauth_states_used_at ON oauth_states (used_at) WHERE used_at IS NOT NULL;

-- start_connect: at most a few outstanding states per user; DELETE /api/me.
CREATE INDEX oauth_states_user_id ON oauth_states (user_id, expires_at) WHERE used_at IS NULL;
