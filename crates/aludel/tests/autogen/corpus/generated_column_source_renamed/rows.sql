INSERT INTO download (id, bytes) VALUES (1, 4096), (2, 10);
