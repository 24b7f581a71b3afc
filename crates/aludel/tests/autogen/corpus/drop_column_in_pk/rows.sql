INSERT INTO download (feed_id, id, title) VALUES ('f1', 'd1', 'one'), ('f1', 'd2', 'two'), ('f2', 'd3', NULL);
