INSERT INTO feed (id, title) VALUES (1, 'a'), (2, NULL);
INSERT INTO download (id, feed_id, size) VALUES (1, 1, '20'), (2, 2, '5');
