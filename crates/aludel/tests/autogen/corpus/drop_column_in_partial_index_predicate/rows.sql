INSERT INTO download (id, feed_id, status) VALUES (1, 'f', 'QUEUED'), (2, 'f', 'DONE');
