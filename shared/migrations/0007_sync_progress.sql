-- Recent data first, history newest to oldest, progress per stream; webhook health per provider.

-- history_from: the oldest instant delivered contiguously up to synced_until (NULL: a stream
-- synced before history was tracked, whose history was read oldest first and is complete).
-- history_goal: how far back the history reaches once complete.
ALTER TABLE sync_cursors
    ADD COLUMN history_from     timestamptz,
    ADD COLUMN history_goal     timestamptz,
    ADD COLUMN history_moved_at timestamptz,
    ADD COLUMN last_record_at   timestamptz;

-- When timer_schedule_sync last queued a poll of the connection (reconciliation while webhooks are healthy).
ALTER TABLE connections ADD COLUMN last_polled_at timestamptz;
