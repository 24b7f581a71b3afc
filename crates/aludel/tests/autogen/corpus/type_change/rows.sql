INSERT INTO download (id, filesize, ratio, title) VALUES (1, '1024', 2, 'a'), (2, NULL, 0, 'b');
