INSERT INTO download (id, filesize) VALUES (1, 2097152), (2, 5);
