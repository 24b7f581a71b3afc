INSERT INTO feed (id, title, author) VALUES (1, 'one', 'ann'), (2, 'two', NULL);
INSERT INTO download (id, feed_id) VALUES (1, 1), (2, 2);
