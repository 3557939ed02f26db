DROP TABLE webhook_health;
DROP TABLE webhook_deletions;
DROP TABLE webhook_seen;
DROP TABLE webhook_windows;
