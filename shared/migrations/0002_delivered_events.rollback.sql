DROP TABLE delivered_records;
