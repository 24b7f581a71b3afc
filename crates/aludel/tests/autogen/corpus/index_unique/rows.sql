INSERT INTO download (id, feed_id, status, published, title) VALUES (1, 'f1', 'QUEUED', '2025-01-01', 'A'), (2, 'f1', 'DOWNLOADED', '2025-01-02', 'b'), (3, 'f2', NULL, NULL, NULL);
