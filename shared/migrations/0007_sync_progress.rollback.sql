ALTER TABLE connections DROP COLUMN last_polled_at;
ALTER TABLE sync_cursors
    DROP COLUMN history_from,
    DROP COLUMN history_goal,
    DROP COLUMN history_moved_at,
    DROP COLUMN last_record_at;
