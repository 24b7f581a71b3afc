INSERT INTO feed (id, retries, created_at) VALUES (1, 2, '2025-01-01 00:00:00'), (2, NULL, NULL);
