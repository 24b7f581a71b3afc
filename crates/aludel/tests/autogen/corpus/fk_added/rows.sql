INSERT INTO feed (id, title) VALUES ('f1', 'one'), ('f2', 'two');
INSERT INTO download (id, feed_id, title) VALUES (1, 'f1', 'a'), (2, 'f1', 'b'), (3, 'f2', 'c');
