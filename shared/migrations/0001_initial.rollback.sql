DROP TABLE sync_cursors;
DROP TABLE oauth_states;
DROP TABLE connections;
