INSERT INTO download (feed_id, id, title) VALUES ('f1', 'd1', 'a'), ('f2', 'd2', NULL);
