INSERT INTO download (id, filesize) VALUES (1, 4096), (2, 0);
