DROP TABLE webhook_objects;
