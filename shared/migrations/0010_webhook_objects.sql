-- Notified objects a webhook job must locate at the provider first (the notification names no times).
CREATE TABLE webhook_objects (
    connection_id  uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    stream         text NOT NULL,
    object_id      text NOT NULL,
    received_at    timestamptz NOT NULL,
    PRIMARY KEY (connection_id, stream, object_id)
);
