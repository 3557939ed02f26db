DROP INDEX oauth_states_user_id;
DROP INDEX oauth_states_used_at;
DROP INDEX connections_revoked_at;
ALTER TABLE connections DROP COLUMN last_manual_sync_at;
