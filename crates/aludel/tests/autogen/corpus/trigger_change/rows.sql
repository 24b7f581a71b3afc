INSERT INTO feed (id, title, is_enabled) VALUES ('f1', 'one', 1), ('f2', 'two', 0);
INSERT INTO download (id, feed_id, status) VALUES (1, 'f1', 'DOWNLOADED'), (2, 'f1', 'QUEUED'), (3, 'f2', 'DOWNLOADED');
