INSERT INTO feed (id, title) VALUES (1, 'f');
INSERT INTO download (id, feed_id, title) VALUES (1, 1, 'a'), (2, 1, 'b'), (3, NULL, 'c');
