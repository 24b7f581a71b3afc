INSERT INTO feed (id, slug) VALUES (1, 'a'), (2, 'b');
INSERT INTO download (id, feed_id) VALUES (1, 1), (2, 2), (3, 1);
