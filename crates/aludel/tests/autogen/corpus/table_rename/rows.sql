INSERT INTO feed (id, title) VALUES ('f1', 'one');
INSERT INTO episode (id, feed_id, title) VALUES (1, 'f1', 'a'), (2, 'f1', 'b');
