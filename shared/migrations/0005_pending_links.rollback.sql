ALTER TABLE connections DROP COLUMN account_label;
DROP TABLE pending_links;
