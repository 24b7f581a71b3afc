INSERT INTO download (id, retries, status) VALUES (1, 0, 'QUEUED'), (2, 7, NULL);
