INSERT INTO feed (id, name) VALUES ('f1', 'one'), ('f2', '');
INSERT INTO download (id, feed_id) VALUES (1, 'f1');
