INSERT INTO episode (feed_id, number, title) VALUES ('f', 1, 'one'), ('f', 2, NULL);
INSERT INTO clip (id, feed_id, number, note) VALUES (1, 'f', 1, 'x'), (2, 'f', 2, 'y'), (3, NULL, NULL, 'z');
