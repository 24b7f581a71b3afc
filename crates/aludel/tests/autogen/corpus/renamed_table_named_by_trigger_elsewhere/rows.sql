INSERT INTO feed (id) VALUES (1);
INSERT INTO download (id, feed_id) VALUES (1, 1), (2, 1);
