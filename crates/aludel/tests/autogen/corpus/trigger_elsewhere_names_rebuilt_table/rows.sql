INSERT INTO feed (id, title, total_downloads) VALUES ('f1', 'one', 0), ('f2', 'two', NULL);
INSERT INTO download (id, feed_id, status) VALUES (1, 'f1', 'DOWNLOADED'), (2, 'f1', 'QUEUED');
